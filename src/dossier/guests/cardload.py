"""Loading guests with everything their profile card reads, in one statement.

The desk builds a card on every keystroke, and on PostgreSQL every statement is a
round trip to the server. So the guests' rows come with their related rows as JSON
arrays, one column per related table (``json_agg`` on PostgreSQL, ``json_group_array``
on SQLite), and :func:`cards_load` turns them into the same model instances and
prefetch caches that :func:`dossier.guests.selectors.card_queryset` gives, so that a
card is the same whichever way its guest was read.

A value travels through JSON as the driver would have given it, or as text it is
read back from exactly: decimals and JSON documents as text (never as a float),
dates and times in ISO 8601 (PostgreSQL writes them so whatever its ``DateStyle``);
then the field's own converters run, as for any query. A field of a kind not known
here is refused when the statement is first built rather than read wrongly.
"""

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, connections, models
from django.db.models import signals
from django.db.models.base import ModelState

from dossier.care.models import Task, TaskStatus
from dossier.classes.models import GuestClass
from dossier.core.dbsetup import prepared_cursor
from dossier.core.models import Property
from dossier.guests.models import (
    Company,
    Guest,
    GuestPhone,
    GuestPreference,
    IdentityDocument,
    MemberCard,
    Observation,
    ObservationKind,
    PreferenceGroup,
    PreferenceItem,
    SpecialDate,
    Tag,
)
from dossier.history.models import Bill, BillLine, Dish, Outlet, Stay

RECENT_VISITS = 5

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


def _kind(field: "models.Field[Any, Any]") -> str:
    if isinstance(field, models.ForeignKey):
        return _kind(field.target_field)
    return field.get_internal_type()


@dataclass(frozen=True)
class _Table:
    """How to read a model's columns, plain or as a JSON array, into instances."""

    model: type[models.Model]
    alias: str
    columns: str
    json_columns: str
    attnames: list[str]
    width: int
    decoders: list[tuple[int, Decoder]]
    converters: list[tuple[int, list[Converter], Any]]
    # Whether instances may be made without ``Model.__init__`` (see :meth:`build`).
    direct: bool

    def build(self, values: Sequence[Any], db: Any) -> models.Model:
        """An instance from a row, as ``from_db`` makes it; ``db`` is the connection."""
        row = list(values)
        for position, converters, expression in self.converters:
            value = row[position]
            for converter in converters:
                value = converter(value, expression, db)
            row[position] = value
        return self._instance(row, db)

    def build_json(self, values: Sequence[Any], db: Any) -> models.Model:
        """An instance from the elements of a JSON array (see the module)."""
        row = list(values)
        for position, decoder in self.decoders:
            if row[position] is not None:
                row[position] = decoder(row[position])
        return self.build(row, db)

    def _instance(self, row: list[Any], db: Any) -> models.Model:
        if not self.direct:
            return self.model.from_db(db.alias, self.attnames, row)
        # What ``Model.__init__`` does with a value for every field, without its
        # signals (none listens) and checks, which took a third of a card's time.
        instance = self.model.__new__(self.model)
        state = ModelState()
        state.adding, state.db = False, db.alias
        values = instance.__dict__
        values["_state"] = state
        values.update(zip(self.attnames, row, strict=True))
        return instance


def _direct(model: type[models.Model]) -> bool:
    """Whether nothing but ``Model`` itself takes part in making an instance."""
    return (
        model.__init__ is models.Model.__init__
        and model.from_db.__func__ is models.Model.from_db.__func__  # type: ignore[attr-defined]
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
    )


@functools.cache
def _table(model: type[models.Model], alias: str, vendor: str) -> _Table:
    """The table of ``model`` under ``alias``; ``vendor`` keys the converters."""
    quote = connection.ops.quote_name
    fields = list(model._meta.concrete_fields)
    converters, decoders, json_columns = [], [], []
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
            raise TypeError(
                f"{model.__name__}.{field.name}: {kind} is not read as JSON"
            )
        json_columns.append(column + how[0])
        if how[1] is not None:
            decoders.append((position, how[1]))
    return _Table(
        model=model,
        alias=alias,
        columns=", ".join(f"{alias}.{quote(f.column)}" for f in fields),
        json_columns=", ".join(json_columns),
        attnames=[f.attname for f in fields],
        width=len(fields),
        decoders=decoders,
        converters=converters,
        direct=_direct(model),
    )


def _t(model: type[models.Model], alias: str) -> _Table:
    return _table(model, alias, connection.vendor)


def _name(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _array(*parts: str) -> str:
    """A JSON array of ``parts``."""
    function = "json_build_array" if connection.vendor == "postgresql" else "json_array"
    return f"{function}({', '.join(parts)})"


def _aggregate(element: str) -> str:
    """The JSON array of ``element`` over the rows of a query (NULL or [] for none)."""
    if connection.vendor == "postgresql":
        return f"json_agg({element})"
    return f"json_group_array({element})"


def _rows(value: Any) -> list[Any]:
    """A JSON column as a list: the driver may have decoded it already."""
    if value is None or value == "[]":
        return []
    if isinstance(value, str):
        found: list[Any] = json.loads(value)
        return found
    return list(value)


Order = Callable[[Any], Any]
Reader = Callable[[list[Any], Any], models.Model]


def _by_pk(item: Any) -> Any:
    return item.pk


@dataclass(frozen=True)
class _Child:
    """A related table of the card: the SQL of its JSON column, how to turn one
    element into an instance, and the order the card's prefetch gives them in."""

    name: str
    sql: str
    read: Reader
    order: Order = _by_pk
    newest_first: bool = False

    def items(self, value: Any, db: Any) -> list[Any]:
        found = [self.read(values, db) for values in _rows(value)]
        found.sort(key=self.order, reverse=self.newest_first)
        return found


def _simple(
    name: str, model: type[models.Model], where: str = "", order: Order = _by_pk,
    newest_first: bool = False,
) -> _Child:  # fmt: skip
    table = _t(model, "c")
    sql = (
        f"(SELECT {_aggregate(_array(table.json_columns))} FROM {_name(model)} c "
        f"WHERE c.guest_id = g.id{where})"
    )
    return _Child(name, sql, table.build_json, order, newest_first)


def _recent(name: str, model: type[models.Model], when: str) -> _Child:
    """The last :data:`RECENT_VISITS` rows of the guest, newest first."""
    table = _t(model, "c")
    sql = (
        f"(SELECT {_aggregate(_array(table.json_columns))} FROM (SELECT * "
        f"FROM {_name(model)} c WHERE c.guest_id = g.id "
        f'ORDER BY c."{when}" DESC, c.id DESC LIMIT {RECENT_VISITS}) c)'
    )
    return _Child(name, sql, table.build_json, _newest(when), newest_first=True)


def _newest(when: str) -> Order:
    return lambda item: (getattr(item, when), item.pk)


def _tags() -> _Child:
    table = _t(Tag, "c")
    through = Guest.tags.through
    sql = (
        f"(SELECT {_aggregate(_array(table.json_columns))} "
        f"FROM {_name(through)} x JOIN {_name(Tag)} c ON c.id = x.tag_id "
        f"WHERE x.guest_id = g.id)"
    )
    return _Child("tags", sql, table.build_json)


def _preferences() -> _Child:
    tables = (
        _t(GuestPreference, "c"),
        _t(PreferenceItem, "i"),
        _t(PreferenceGroup, "r"),
    )
    sql = (
        f"(SELECT {_aggregate(_array(*(t.json_columns for t in tables)))} "
        f"FROM {_name(GuestPreference)} c "
        f"JOIN {_name(PreferenceItem)} i ON i.id = c.item_id "
        f"JOIN {_name(PreferenceGroup)} r ON r.id = i.group_id "
        f"WHERE c.guest_id = g.id)"
    )
    return _Child("preferences", sql, lambda row, db: _preference(tables, row, db))


def _preference(tables: Sequence[_Table], row: list[Any], db: Any) -> models.Model:
    preference, item, group = _split_json(row, db, *tables)
    PreferenceItem.group.field.set_cached_value(item, group)
    GuestPreference.item.field.set_cached_value(preference, item)
    return preference


def _bills() -> _Child:
    """The last bills with their outlets, and the lines of each with their dishes."""
    bill, outlet = _t(Bill, "c"), _t(Outlet, "o")
    line, dish = _t(BillLine, "l"), _t(Dish, "d")
    lines = (
        f"(SELECT {_aggregate(_array(line.json_columns, dish.json_columns))} "
        f"FROM {_name(BillLine)} l JOIN {_name(Dish)} d ON d.id = l.dish_id "
        f"WHERE l.bill_id = c.id)"
    )
    sql = (
        f"(SELECT {_aggregate(_array(bill.json_columns, outlet.json_columns, lines))} "
        f"FROM (SELECT * FROM {_name(Bill)} c WHERE c.guest_id = g.id "
        f"ORDER BY c.opened_at DESC, c.id DESC LIMIT {RECENT_VISITS}) c "
        f"JOIN {_name(Outlet)} o ON o.id = c.outlet_id)"
    )
    tables = (bill, outlet, line, dish)
    return _Child(
        "recent_bills",
        sql,
        lambda row, db: _bill(tables, row, db),
        _newest("opened_at"),
        newest_first=True,
    )


def _bill(tables: Sequence[_Table], row: list[Any], db: Any) -> models.Model:
    bill, outlet, line, dish = tables
    found, place = _split_json(row, db, bill, outlet)
    Bill.outlet.field.set_cached_value(found, place)
    items = []
    for values in _rows(row[bill.width + outlet.width]):
        item, plate = _split_json(values, db, line, dish)
        BillLine.dish.field.set_cached_value(item, plate)
        items.append(item)
    items.sort(key=_by_pk)
    _cached(found, "lines", items)
    return found


def _split_json(row: Sequence[Any], db: Any, *tables: _Table) -> list[models.Model]:
    found = []
    start = 0
    for table in tables:
        found.append(table.build_json(row[start : start + table.width], db))
        start += table.width
    return found


@functools.cache
def _statement(vendor: str) -> tuple[str, str, list[_Child], list[Any]]:
    """The select list, the tables up to the guests' ids, the children of the select
    list and their parameters; ``vendor`` keys the cache."""
    children = [
        _simple("phones", GuestPhone),
        _simple("documents", IdentityDocument),
        _simple("special_dates", SpecialDate),
        _simple("cards", MemberCard),
        _tags(),
        _preferences(),
        _simple(
            "open_complaints",
            Observation,
            " AND c.kind = %s AND NOT c.resolved",
            _newest("observed_at"),
            newest_first=True,
        ),
        _simple("open_tasks", Task, " AND c.status = %s", lambda t: (t.due, t.pk)),
        _recent("recent_stays", Stay, "arrival"),
        _bills(),
    ]
    params = [ObservationKind.COMPLAINT.value, TaskStatus.OPEN.value]
    tables = _guest_tables()
    select = (
        f"SELECT {', '.join(t.columns for t in tables)}, "
        f"{', '.join(child.sql for child in children)}"
    )
    joins = (
        f" FROM {_name(Guest)} g "
        f"JOIN {_name(Property)} p ON p.id = g.property_id "
        f"LEFT JOIN {_name(Company)} y ON y.id = g.company_id "
        f"LEFT JOIN {_name(GuestClass)} k ON k.guest_id = g.id "
        f"WHERE g.id "
    )
    return select, joins, children, params


def _guest_tables() -> tuple[_Table, ...]:
    return (_t(Guest, "g"), _t(Property, "p"), _t(Company, "y"), _t(GuestClass, "k"))


# Children read through ``<name>.all()``; the others are lists in attributes, as the
# prefetches with ``to_attr`` give them.
_MANAGED = {"phones", "documents", "special_dates", "cards", "tags", "preferences"}


# A condition on the guest ``g`` and its parameters.
Condition = tuple[str, list[Any]]


def cards_load(ids: list[int], where: Condition = ("", [])) -> dict[int, Guest]:
    """The guests of ``ids`` that exist and meet ``where``, with everything the card
    reads."""
    return {guest.pk: guest for guest, _ in card_rows(ids, where=where)}


def card_rows(
    ids: list[int],
    *,
    where: Condition = ("", []),
    columns: Condition = ("", []),
) -> list[tuple[Guest, tuple[Any, ...]]]:
    """:func:`cards_load`, each guest with the values of ``columns`` (SQL on the
    guest ``g`` and its property ``p``), as the driver gives them."""
    if not ids:
        return []
    sql, joins, children, params = _statement(connection.vendor)
    if columns[0]:
        sql, params = f"{sql}, {columns[0]}", [*params, *columns[1]]
    sql += joins
    sql, params = f"{sql}{_guests_marks(len(ids))}", [*params, *ids]
    if where[0]:
        sql, params = f"{sql} AND {where[0]}", [*params, *where[1]]
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # The connection itself rather than the proxy that finds it on each use.
    db = connections[connection.alias]
    tables = _guest_tables()
    width = sum(t.width for t in tables)
    found = []
    properties: dict[int, models.Model] = {}
    for row in rows:
        guest = _guest(row[:width], tables, properties, db)
        end = width + len(children)
        for child, value in zip(children, row[width:end], strict=True):
            items = child.items(value, db)
            if child.name in _MANAGED:
                _cached(guest, child.name, items)
            else:
                setattr(guest, child.name, items)
        found.append((guest, tuple(row[end:])))
    return found


def _guests_marks(count: int) -> str:
    """``= %s``, or ``IN`` and a mark per guest. A statement per number of guests,
    rather than one with a list: the server would plan that for ten guests, find its
    plan dearer than one for the few asked, and so plan it again every time."""
    if count == 1:
        return "= %s"
    return f"IN ({', '.join(['%s'] * count)})"


def _guest(
    row: Sequence[Any],
    tables: Sequence[_Table],
    properties: dict[int, models.Model],
    db: Any,
) -> Guest:
    found: list[models.Model | None] = []
    start = 0
    for table in tables:
        values = row[start : start + table.width]
        start += table.width
        # A left join that found nothing gives a row of NULLs.
        found.append(None if values[0] is None else table.build(values, db))
    guest, prop, company, klass = found
    assert isinstance(guest, Guest)
    assert prop is not None
    prop = properties.setdefault(prop.pk, prop)
    Guest.property.field.set_cached_value(guest, prop)
    Guest.company.field.set_cached_value(guest, company)
    Guest.customer_class.related.set_cached_value(guest, klass)
    return guest


def _cached(instance: models.Model, name: str, items: list[Any]) -> None:
    """Give ``instance.<name>.all()`` the loaded ``items``, as a prefetch does; any
    other query made of them finds nothing rather than rows of other guests."""
    template = _empty(type(instance), name)
    # Querysets copy their query before they change it: one can serve them all.
    queryset: Any = type(template)(model=template.model, query=template.query)
    queryset._result_cache = items
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    # The cache is keyed by the accessor: the related name, or the field for tags.
    cache[name] = queryset


@functools.cache
def _empty(model: type[models.Model], name: str) -> models.QuerySet[Any]:
    """An empty queryset of the rows ``model.<name>`` leads to."""
    related = model._meta.get_field(name).related_model
    assert isinstance(related, type)
    assert issubclass(related, models.Model)
    empty: models.QuerySet[Any] = related._default_manager.none()
    return empty
