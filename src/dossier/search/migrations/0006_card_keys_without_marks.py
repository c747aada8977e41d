"""Card keys without dashes or dots and from each part on (VIP-88001 as vip88001 and
88001), for cards indexed before."""

from typing import Any

from django.db import migrations
from django.db.models import Q

from dossier.search.keys import MAX_KEY, NAME_JOINERS, card_keys


def add_card_keys(apps: Any, schema_editor: Any) -> None:
    MemberCard = apps.get_model("guests", "MemberCard")
    SearchKey = apps.get_model("search", "SearchKey")
    marked = Q()
    for mark in NAME_JOINERS + " ":
        marked |= Q(number__contains=mark)
    cards = MemberCard.objects.filter(marked).values_list(
        "guest_id", "guest__property_id", "number"
    )
    for guest_id, property_id, number in cards.iterator(chunk_size=2000):
        have = set(
            SearchKey.objects.filter(guest_id=guest_id).values_list("key", flat=True)
        )
        # Guests without keys were merged into another profile: they stay without.
        if not have:
            continue
        wanted = {key[:MAX_KEY] for key in card_keys(number) if key != "c:"}
        SearchKey.objects.bulk_create(
            SearchKey(guest_id=guest_id, property_id=property_id, key=key)
            for key in sorted(wanted - have)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("guests", "0001_initial"),
        ("search", "0005_merged_name_keys"),
    ]

    operations = [migrations.RunPython(add_card_keys, migrations.RunPython.noop)]
