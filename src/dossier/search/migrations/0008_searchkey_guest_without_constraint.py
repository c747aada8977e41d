"""The search keys' guest is no longer a foreign-key constraint on PostgreSQL.

Keys are derived rows, written only with the guests they describe and deleted with
them by Django; checking each of a large import's keys against its guest cost
PostgreSQL more than writing the key. SQLite keeps the constraint: dropping it there
would copy the whole table, and its check costs little.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def _guest_field(constraint: bool) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        db_constraint=constraint,
        db_index=False,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="search_keys",
        to="guests.guest",
    )


def _constraint(
    apps: StateApps, schema_editor: BaseDatabaseSchemaEditor, *, keep: bool
) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("search", "SearchKey")
    fields = []
    for constraint in (not keep, keep):
        field = _guest_field(constraint)
        field.set_attributes_from_name("guest")
        field.model = model
        field.remote_field.model = apps.get_model("guests", "Guest")
        fields.append(field)
    schema_editor.alter_field(model, fields[0], fields[1])


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _constraint(apps, schema_editor, keep=False)


def restore(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _constraint(apps, schema_editor, keep=True)


class Migration(migrations.Migration):
    dependencies = [
        ("guests", "0002_guest_guest_birth"),
        ("search", "0007_searchkey_guest_index_once"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="searchkey", name="guest", field=_guest_field(False)
                ),
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        ),
    ]
