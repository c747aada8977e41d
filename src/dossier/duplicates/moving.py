"""Moving a guest's rows to another guest, table by table, and back.

The tables are found from the models (every foreign key to the guest), so a table
another app adds moves too. A row the receiving guest already has the same of (by a
unique constraint on the guest and other columns, or by :data:`SAME_VALUE`) is not
moved.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models

from dossier.guests.models import Guest

# Tables that are not the guest's data: rebuilt from it, or this app's own.
NOT_MOVED = {"search", "duplicates"}
CHUNK = 500
# Rows that mean the same as one the master has, though no constraint says so.
SAME_VALUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "guests.identitydocument": (("number_index",),),
    "guests.membercard": (("number_key",),),
}


@dataclass(frozen=True)
class Relation:
    model: type[models.Model]
    column: str
    # For each unique constraint on the guest and other columns, the other columns.
    unique_with: tuple[tuple[str, ...], ...]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def relations() -> Iterator[Relation]:
    """Every table with a foreign key to the guest, found from the models."""
    for rel in Guest._meta.get_fields(include_hidden=True):
        if rel.concrete or not (rel.one_to_many or rel.one_to_one):
            continue
        model = rel.related_model
        assert isinstance(model, type)
        assert issubclass(model, models.Model)
        if model._meta.app_label in NOT_MOVED:
            continue
        key = rel.field  # type: ignore[union-attr]
        yield Relation(model, key.attname, tuple(_unique_with(model, key.name, rel)))


def _attname(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.attname


def _unique_with(
    model: type[models.Model], key: str, rel: Any
) -> Iterator[tuple[str, ...]]:
    if rel.one_to_one:
        yield ()
    together = [tuple(fields) for fields in model._meta.unique_together]
    together += [
        tuple(c.fields)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.condition is None and c.fields
    ]
    for fields in together:
        if key in fields:
            yield tuple(_attname(model, f) for f in fields if f != key)


def rows_of(relation: Relation, guest_id: int) -> models.QuerySet[Any]:
    return relation.model._base_manager.filter(**{relation.column: guest_id})


def rows_reassign(relation: Relation, ids: list[int], guest_id: int) -> None:
    """Give the rows ``ids`` of one table to ``guest_id``."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = relation.model._base_manager.filter(pk__in=chunk)
        rows.update(**{relation.column: guest_id})


def _held(relation: Relation, guest_id: int, columns: tuple[str, ...]) -> set[Any]:
    rows = rows_of(relation, guest_id)
    if not columns:
        return {()} if rows.exists() else set()
    return {tuple(row) for row in rows.values_list(*columns)}


def rows_move(
    master: Guest, duplicate: Guest
) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Move the duplicate's rows to the master; returns the ids moved and kept back."""
    moved: dict[str, list[int]] = {}
    kept: dict[str, list[int]] = {}
    for relation in relations():
        keys = relation.unique_with + SAME_VALUE.get(relation.label, ())
        held = [_held(relation, master.pk, columns) for columns in keys]
        wanted = sorted({c for columns in keys for c in columns})
        going: list[int] = []
        staying: list[int] = []
        for row in rows_of(relation, duplicate.pk).values("pk", *wanted):
            clash = any(
                tuple(row[c] for c in columns) in taken
                for columns, taken in zip(keys, held, strict=True)
            )
            (staying if clash else going).append(row["pk"])
        rows_reassign(relation, going, master.pk)
        if going:
            moved[relation.label] = sorted(going)
        if staying:
            kept[relation.label] = sorted(staying)
    return moved, kept
