"""Name keys without joining marks (Jean-Pierre as jeanpierre, jean and pierre) and
readings of names with a middle dot (阿依古丽·买买提), for guests indexed before."""

from typing import Any

from django.db import migrations

from dossier.search.keys import MAX_KEY, name_keys

BATCH = 2000


def add_name_keys(apps: Any, schema_editor: Any) -> None:
    Guest = apps.get_model("guests", "Guest")
    SearchKey = apps.get_model("search", "SearchKey")
    last = 0
    while True:
        rows = list(
            Guest.objects.filter(pk__gt=last, name_is_han=False)
            .order_by("pk")
            .values_list("pk", "property_id", "full_name", "surname", "given_name")[
                :BATCH
            ]
        )
        if not rows:
            return
        last = rows[-1][0]
        have: dict[int, set[str]] = {}
        for guest_id, key in SearchKey.objects.filter(
            guest_id__in=[row[0] for row in rows]
        ).values_list("guest_id", "key"):
            have.setdefault(guest_id, set()).add(key)
        # Guests without keys were merged into another profile: they stay without.
        SearchKey.objects.bulk_create(
            SearchKey(guest_id=pk, property_id=property_id, key=key)
            for pk, property_id, full, surname, given in rows
            if pk in have
            for key in sorted(
                {k[:MAX_KEY] for k in name_keys(full, surname, given, False)}
                - have[pk]
            )
            if len(key) > len(key.split(":", 1)[0]) + 1
        )


class Migration(migrations.Migration):
    dependencies = [
        ("guests", "0001_initial"),
        ("search", "0003_surname_keys"),
    ]

    operations = [migrations.RunPython(add_name_keys, migrations.RunPython.noop)]
