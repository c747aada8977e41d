"""The search keys lose their index on the guest alone: (guest, key) serves it.

Only the index is dropped, so SQLite does not copy the whole table to alter the
column.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "search_searchkey_guest_id_c0ae6b5a"


class Migration(migrations.Migration):
    dependencies = [
        ("guests", "0002_guest_guest_birth"),
        ("search", "0006_card_keys_without_marks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="searchkey",
                    name="guest",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_keys",
                        to="guests.guest",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "search_searchkey" '
                    '("guest_id")',
                ),
            ],
        ),
    ]
