"""Loading guests with everything their profile card reads, in one statement.

The desk builds a card on every keystroke, and on PostgreSQL every statement is a
round trip to the server. So the guests' rows come with their related rows as JSON
arrays, one column per related table (``json_agg`` on PostgreSQL, ``json_group_array``
on SQLite), and :func:`cards_load` turns them into the same model instances and
prefetch caches that :func:`dossier.guests.selectors.card_queryset` gives, so that a
card is the same whichever way its guest was read. How each value travels through
JSON is :mod:`dossier.core.rows`'s.
"""

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, connections, models

from dossier.care.models import Task, TaskStatus
from dossier.classes.models import GuestClass
from dossier.core.dbsetup import prepared_cursor
from dossier.core.models import Property
from dossier.core.rows import Table, split, split_json, table, table_name
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
    own = table(model, "c")
    sql = (
        f"(SELECT {_aggregate(_array(own.json()))} FROM {table_name(model)} c "
        f"WHERE c.guest_id = g.id{where})"
    )
    return _Child(name, sql, own.build_json, order, newest_first)


def _recent(name: str, model: type[models.Model], when: str) -> _Child:
    """The last :data:`RECENT_VISITS` rows of the guest, newest first."""
    own = table(model, "c")
    sql = (
        f"(SELECT {_aggregate(_array(own.json()))} FROM (SELECT * "
        f"FROM {table_name(model)} c WHERE c.guest_id = g.id "
        f'ORDER BY c."{when}" DESC, c.id DESC LIMIT {RECENT_VISITS}) c)'
    )
    return _Child(name, sql, own.build_json, _newest(when), newest_first=True)


def _newest(when: str) -> Order:
    return lambda item: (getattr(item, when), item.pk)


def _tags() -> _Child:
    own = table(Tag, "c")
    through = Guest.tags.through
    sql = (
        f"(SELECT {_aggregate(_array(own.json()))} "
        f"FROM {table_name(through)} x JOIN {table_name(Tag)} c ON c.id = x.tag_id "
        f"WHERE x.guest_id = g.id)"
    )
    return _Child("tags", sql, own.build_json)


def _preferences() -> _Child:
    tables = (
        table(GuestPreference, "c"),
        table(PreferenceItem, "i"),
        table(PreferenceGroup, "r"),
    )
    sql = (
        f"(SELECT {_aggregate(_array(*(t.json() for t in tables)))} "
        f"FROM {table_name(GuestPreference)} c "
        f"JOIN {table_name(PreferenceItem)} i ON i.id = c.item_id "
        f"JOIN {table_name(PreferenceGroup)} r ON r.id = i.group_id "
        f"WHERE c.guest_id = g.id)"
    )
    return _Child("preferences", sql, lambda row, db: _preference(tables, row, db))


def _preference(tables: Sequence[Table], row: list[Any], db: Any) -> models.Model:
    preference, item, group = split_json(row, *tables, db=db)
    PreferenceItem.group.field.set_cached_value(item, group)
    GuestPreference.item.field.set_cached_value(preference, item)
    return preference


def _bills() -> _Child:
    """The last bills with their outlets, and the lines of each with their dishes."""
    bill, outlet = table(Bill, "c"), table(Outlet, "o")
    line, dish = table(BillLine, "l"), table(Dish, "d")
    lines = (
        f"(SELECT {_aggregate(_array(line.json(), dish.json()))} "
        f"FROM {table_name(BillLine)} l JOIN {table_name(Dish)} d ON d.id = l.dish_id "
        f"WHERE l.bill_id = c.id)"
    )
    sql = (
        f"(SELECT {_aggregate(_array(bill.json(), outlet.json(), lines))} "
        f"FROM (SELECT * FROM {table_name(Bill)} c WHERE c.guest_id = g.id "
        f"ORDER BY c.opened_at DESC, c.id DESC LIMIT {RECENT_VISITS}) c "
        f"JOIN {table_name(Outlet)} o ON o.id = c.outlet_id)"
    )
    tables = (bill, outlet, line, dish)
    return _Child(
        "recent_bills",
        sql,
        lambda row, db: _bill(tables, row, db),
        _newest("opened_at"),
        newest_first=True,
    )


def _bill(tables: Sequence[Table], row: list[Any], db: Any) -> models.Model:
    bill, outlet, line, dish = tables
    found, place = split_json(row, bill, outlet, db=db)
    Bill.outlet.field.set_cached_value(found, place)
    items = []
    for values in _rows(row[bill.width + outlet.width]):
        item, plate = split_json(values, line, dish, db=db)
        BillLine.dish.field.set_cached_value(item, plate)
        items.append(item)
    items.sort(key=_by_pk)
    _cached(found, "lines", items)
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
        f" FROM {table_name(Guest)} g "
        f"JOIN {table_name(Property)} p ON p.id = g.property_id "
        f"LEFT JOIN {table_name(Company)} y ON y.id = g.company_id "
        f"LEFT JOIN {table_name(GuestClass)} k ON k.guest_id = g.id "
        f"WHERE g.id "
    )
    return select, joins, children, params


def _guest_tables() -> tuple[Table, ...]:
    return (
        table(Guest, "g"),
        table(Property, "p"),
        table(Company, "y"),
        table(GuestClass, "k"),
    )


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
    tables: Sequence[Table],
    properties: dict[int, models.Model],
    db: Any,
) -> Guest:
    guest, prop, company, klass = split(row, *tables, db=db)
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
