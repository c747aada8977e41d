"""Name keys of merged profiles on their masters, for merges made before a guest
was found by the name of a profile merged into it."""

from typing import Any

from django.db import migrations

from dossier.search.keys import MAX_KEY, name_keys


def add_merged_names(apps: Any, schema_editor: Any) -> None:
    Merge = apps.get_model("duplicates", "Merge")
    SearchKey = apps.get_model("search", "SearchKey")
    master_of = dict(
        Merge.objects.filter(undone_at__isnull=True).values_list(
            "duplicate_id", "master_id"
        )
    )
    for duplicate, master in master_of.items():
        seen = {duplicate}
        while master in master_of and master not in seen:
            seen.add(master)
            master = master_of[master]
        names = Merge.objects.filter(
            duplicate_id=duplicate, undone_at__isnull=True
        ).values_list(
            "duplicate__full_name",
            "duplicate__surname",
            "duplicate__given_name",
            "duplicate__name_is_han",
            "master__property_id",
        )
        have = set(SearchKey.objects.filter(guest_id=master).values_list("key", flat=True))
        for full, surname, given, is_han, property_id in names:
            wanted = {k[:MAX_KEY] for k in name_keys(full, surname, given, is_han)}
            SearchKey.objects.bulk_create(
                SearchKey(guest_id=master, property_id=property_id, key=key)
                for key in sorted(wanted - have)
                if len(key) > len(key.split(":", 1)[0]) + 1
            )
            have |= wanted


class Migration(migrations.Migration):
    dependencies = [
        ("duplicates", "0001_initial"),
        ("search", "0004_joined_name_keys"),
    ]

    operations = [migrations.RunPython(add_merged_names, migrations.RunPython.noop)]
