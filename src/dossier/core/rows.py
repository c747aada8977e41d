"""Model instances from plain SQL, for the few statements run on every request.

Compiling an ORM query costs ten times running it on an indexed key: a session, the
logged-in user or a guest's card is read as plain SQL instead, and each row is made
into the instance the ORM would have made (its field converters applied), so the
code that uses it cannot tell the difference.
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class Table:
    """How to select a model's columns as plain SQL and turn rows into instances."""

    model: type[models.Model]
    columns: str
    attnames: list[str]
    converters: list[tuple[int, list[Converter], Any]]

    def build(self, values: Sequence[Any]) -> models.Model:
        row = list(values)
        for position, converters, expression in self.converters:
            for converter in converters:
                row[position] = converter(row[position], expression, connection)
        return self.model.from_db(connection.alias, self.attnames, row)


@functools.cache
def _table(model: type[models.Model], alias: str, vendor: str) -> Table:
    """The table of ``model`` under ``alias``; ``vendor`` keys the converters."""
    quote = connection.ops.quote_name
    fields = list(model._meta.concrete_fields)
    converters = []
    for position, field in enumerate(fields):
        expression = field.get_col(alias)
        found = connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection)
        if found:
            converters.append((position, found, expression))
    return Table(
        model=model,
        columns=", ".join(f"{quote(alias)}.{quote(f.column)}" for f in fields),
        attnames=[f.attname for f in fields],
        converters=converters,
    )


def table(model: type[models.Model], alias: str = "t") -> Table:
    """The columns of ``model`` selected under the table alias ``alias``."""
    return _table(model, alias, connection.vendor)


def table_name(model: type[models.Model]) -> str:
    """The quoted name of ``model``'s table."""
    return _quoted(model._meta.db_table, connection.vendor)


@functools.cache
def _quoted(name: str, vendor: str) -> str:
    return connection.ops.quote_name(name)


def split(row: Sequence[Any], *tables: Table) -> list[models.Model | None]:
    """One instance per table from a joined row; ``None`` where a join found none."""
    found: list[models.Model | None] = []
    start = 0
    for each in tables:
        values = row[start : start + len(each.attnames)]
        start += len(each.attnames)
        found.append(None if values[0] is None else each.build(values))
    return found


def marks(values: Sequence[Any]) -> str:
    """One ``%s`` placeholder per value, for ``IN (…)``."""
    return ", ".join(["%s"] * len(values))
