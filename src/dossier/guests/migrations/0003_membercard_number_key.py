"""Card numbers as matching compares them (VIP-88001 and vip88001 alike), for the
cards written before."""

from typing import Any

from django.db import migrations, models

from dossier.guests.models import card_key

BATCH = 2000


def fill_card_keys(apps: Any, schema_editor: Any) -> None:
    MemberCard = apps.get_model("guests", "MemberCard")
    changed = []
    for card in MemberCard.objects.only("pk", "number").iterator(chunk_size=BATCH):
        card.number_key = card_key(card.number)
        changed.append(card)
        if len(changed) >= BATCH:
            MemberCard.objects.bulk_update(changed, ["number_key"])
            changed = []
    MemberCard.objects.bulk_update(changed, ["number_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("guests", "0002_guest_guest_birth"),
    ]

    operations = [
        migrations.AddField(
            model_name="membercard",
            name="number_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=40
            ),
        ),
        migrations.RunPython(fill_card_keys, migrations.RunPython.noop),
    ]
