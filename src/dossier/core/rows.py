"""Model instances from plain SQL, for the few statements run on every request.

Compiling an ORM query costs ten times running it on an indexed key: a session, the
logged-in user or a guest's card is read as plain SQL instead, and each row is made
into the instance the ORM would have made (its field converters applied), so the
code that uses it cannot tell the difference.

A table's columns can also be read as the elements of a JSON array (related rows
aggregated beside their parent, see :mod:`dossier.guests.cardload`). A value travels
through JSON as the driver would have given it, or as text it is read back from
exactly: decimals and JSON documents as text (never as a float), dates and times in
ISO 8601 (PostgreSQL writes them so whatever its ``DateStyle``); then the field's own
converters run, as for any column. A field of a kind not known here is refused when
a statement reading it as JSON is first built rather than read wrongly.
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import signals
from django.db.models.base import ModelState

Converter = Callable[[Any, Any, Any], Any]
Decoder = Callable[[Any], Any]

# Kinds of column whose JSON value is already what the driver gives.
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallAutoField",
    "SmallIntegerField",
    "TextField",
}

# Kinds of column that travel through JSON as JSON has them on SQLite, where
# dates, times and decimals are stored as text and numbers; the field's converters
# read them as they read a column.
_SQLITE_JSON = {"DecimalField", "JSONField", "DateField", "DateTimeField"}


@dataclass(frozen=True)
class Table:
    """How to read a model's columns, plain or as a JSON array, into instances."""

    model: type[models.Model]
    alias: str
    columns: str
    attnames: list[str]
    width: int
    converters: list[tuple[int, list[Converter], Any]]
    # Whether instances may be made without ``Model.__init__`` (see :meth:`build`).
    direct: bool
    # The columns as JSON array elements and their decoders; ``json_refused`` names
    # a column that cannot be read so.
    json_columns: str
    decoders: list[tuple[int, Decoder]]
    json_refused: str = ""

    def build(self, values: Sequence[Any], db: Any = connection) -> models.Model:
        """An instance from a row, as ``from_db`` makes it; ``db`` is the connection."""
        row = list(values)
        for position, converters, expression in self.converters:
            value = row[position]
            for converter in converters:
                value = converter(value, expression, db)
            row[position] = value
        if not self.direct:
            return self.model.from_db(db.alias, self.attnames, row)
        # What ``Model.__init__`` does with a value for every field, without its
        # signals (none listens) and checks, which took a third of a card's time.
        instance = self.model.__new__(self.model)
        state = ModelState()
        state.adding, state.db = False, db.alias
        attributes = instance.__dict__
        attributes["_state"] = state
        attributes.update(zip(self.attnames, row, strict=True))
        return instance

    def build_json(self, values: Sequence[Any], db: Any = connection) -> models.Model:
        """An instance from the elements of a JSON array (see the module)."""
        row = list(values)
        for position, decoder in self.decoders:
            if row[position] is not None:
                row[position] = decoder(row[position])
        return self.build(row, db)

    def json(self) -> str:
        """The columns as elements of a JSON array, for a statement being built."""
        if self.json_refused:
            raise TypeError(f"{self.json_refused} is not read as JSON")
        return self.json_columns


def table(model: type[models.Model], alias: str = "t") -> Table:
    """The columns of ``model`` selected under the table alias ``alias``."""
    return _table(model, alias, connection.vendor)


@functools.cache
def _table(model: type[models.Model], alias: str, vendor: str) -> Table:
    """The table of ``model`` under ``alias``; ``vendor`` keys the converters."""
    quote = connection.ops.quote_name
    fields = list(model._meta.concrete_fields)
    converters, decoders, json_columns, refused = [], [], [], []
    for position, field in enumerate(fields):
        column = f"{alias}.{quote(field.column)}"
        expression = field.get_col(alias)
        found = connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection)
        if found:
            converters.append((position, found, expression))
        kind = _kind(field)
        how = _json_of(kind, vendor)
        if how is None:
            refused.append(f"{model.__name__}.{field.name}: {kind}")
            continue
        json_columns.append(column + how[0])
        if how[1] is not None:
            decoders.append((position, how[1]))
    return Table(
        model=model,
        alias=alias,
        columns=", ".join(f"{alias}.{quote(f.column)}" for f in fields),
        attnames=[f.attname for f in fields],
        width=len(fields),
        converters=converters,
        direct=_direct(model),
        json_columns=", ".join(json_columns),
        decoders=decoders,
        json_refused=", ".join(refused),
    )


def _kind(field: "models.Field[Any, Any]") -> str:
    if isinstance(field, models.ForeignKey):
        return _kind(field.target_field)
    return field.get_internal_type()


def _json_of(kind: str, vendor: str) -> tuple[str, Decoder | None] | None:
    """How a kind of column is written into JSON (a cast) and read back (a decoder,
    before the field's converters); ``None`` for a kind not read as JSON."""
    if kind in _PLAIN:
        return "", None
    if vendor != "postgresql":
        return ("", None) if kind in _SQLITE_JSON else None
    if kind in ("DecimalField", "JSONField"):
        # The driver reads both from their text.
        return "::text", Decimal if kind == "DecimalField" else None
    if kind == "DateField":
        return "", date.fromisoformat
    if kind == "DateTimeField":
        # As the driver gives it: aware, in the connection's time zone.
        zone = connection.timezone
        return "", lambda value: datetime.fromisoformat(value).astimezone(zone)
    return None


def _direct(model: type[models.Model]) -> bool:
    """Whether nothing but ``Model`` itself takes part in making an instance."""
    return (
        model.__init__ is models.Model.__init__
        and model.from_db.__func__ is models.Model.from_db.__func__  # type: ignore[attr-defined]
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
    )


def table_name(model: type[models.Model]) -> str:
    """The quoted name of ``model``'s table."""
    return _quoted(model._meta.db_table, connection.vendor)


@functools.cache
def _quoted(name: str, vendor: str) -> str:
    return connection.ops.quote_name(name)


def split(
    row: Sequence[Any], *tables: Table, db: Any = connection
) -> list[models.Model | None]:
    """One instance per table from a joined row; ``None`` where a left join found
    none (its row of NULLs)."""
    found: list[models.Model | None] = []
    start = 0
    for each in tables:
        values = row[start : start + each.width]
        start += each.width
        found.append(None if values[0] is None else each.build(values, db))
    return found


def split_json(row: Sequence[Any], *tables: Table, db: Any) -> list[models.Model]:
    """One instance per table from the elements of one JSON array."""
    found = []
    start = 0
    for each in tables:
        found.append(each.build_json(row[start : start + each.width], db))
        start += each.width
    return found


def marks(values: Sequence[Any]) -> str:
    """One ``%s`` placeholder per value, for ``IN (…)``."""
    return ", ".join(["%s"] * len(values))
