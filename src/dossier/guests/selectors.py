"""Reading guest profiles: the profile card and what the card needs.

The card is built with a fixed number of queries, whatever the guest's history.
:func:`guest_cards`, which the desk calls on every keystroke, runs them as plain SQL
(one per related table, for all the guests at once) and fills the same model
instances and prefetch caches the ORM would, so that :func:`guest_card` shows the
same card either way; the ORM's query compilation cost ten times the queries.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import get_language

from dossier.care.models import Task, TaskStatus
from dossier.classes.models import GuestClass
from dossier.classes.selectors import class_detail, guest_class_of
from dossier.core.models import Property
from dossier.core.rows import Table as _Table
from dossier.core.rows import marks as _marks
from dossier.core.rows import split as _split
from dossier.core.rows import table as _t
from dossier.core.rows import table_name as _name
from dossier.guests.dates import upcoming
from dossier.guests.models import (
    Company,
    Guest,
    GuestPhone,
    GuestPreference,
    IdentityDocument,
    MemberCard,
    Observation,
    ObservationKind,
    PhoneKind,
    PreferenceGroup,
    PreferenceItem,
    SpecialDate,
    Tag,
)
from dossier.history.models import Bill, BillLine, Dish, Outlet, Stay
from dossier.zh.honorifics import honorific
from dossier.zh.phones import mask_phone

RECENT_VISITS = 5
UPCOMING_DAYS = 30


def guest_honorific(guest: Guest, prop: Property) -> str:
    """How staff address ``guest`` under the property's settings."""
    return honorific_of(
        surname=guest.surname,
        given_name=guest.given_name,
        gender=guest.gender,
        is_han=guest.name_is_han,
        title=guest.title,
        override=guest.honorific_override,
        prop=prop,
    )


def honorific_of(
    *,
    surname: str,
    given_name: str,
    gender: str,
    is_han: bool,
    title: str,
    override: str,
    prop: Property,
) -> str:
    """:func:`guest_honorific` from the guest's stored values, for lists read as
    values rather than models. Staff working in English address a guest with a
    Latin-script name in English (Ms Peretz)."""
    english = prop.latin_honorific == "en" or get_language() == "en"
    return honorific(
        surname=surname,
        given_name=given_name,
        gender=gender if gender in ("M", "F") else "",  # type: ignore[arg-type]
        is_han=is_han,
        title=title,
        prefer_title=prop.prefer_titles,
        latin_style="en" if english else "zh",
        override=override,
    )


def viewer_department(viewer: User | AnonymousUser | None) -> str:
    staff = getattr(viewer, "staff", None)
    return str(getattr(staff, "department", "") or "")


def not_merged(guest_field: str = "pk") -> Q:
    """Rows whose guest (``guest_field``) has not been merged into another profile.

    A correlated ``NOT EXISTS`` rather than ``guest IN (…)``: on a large archive the
    list of guests is far longer than the rows asked about.
    """
    from dossier.duplicates.models import Merge

    merged = Merge.objects.filter(
        duplicate_id=OuterRef(guest_field), undone_at__isnull=True
    )
    return ~Q(Exists(merged))


def guests_current() -> QuerySet[Guest]:
    """Every guest that has not been merged into another profile."""
    return Guest.objects.filter(not_merged())


def guest_merged_into(guest_id: int) -> int | None:
    """The profile ``guest_id`` now lives on, if it was merged (followed to the end)."""
    from dossier.duplicates.models import Merge

    master: int | None = None
    seen = {guest_id}
    current = guest_id
    while True:
        found = (
            Merge.objects.filter(duplicate_id=current, undone_at__isnull=True)
            .values_list("master_id", flat=True)
            .first()
        )
        if found is None or found in seen:
            return master
        master = current = found
        seen.add(found)


# A name as written, its surname, its given name, and whether it is in characters.
NameParts = tuple[str, str, str, bool]


def names_merged_into(ids: Sequence[int]) -> dict[int, list[NameParts]]:
    """The names of the profiles merged into each of ``ids`` (and into those, in
    turn), so that a guest is still found by the name a merged profile had."""
    from dossier.duplicates.models import Merge

    names: dict[int, list[NameParts]] = {}
    owner = {guest_id: guest_id for guest_id in ids}
    seen = set(owner)
    while owner:
        rows = Merge.objects.filter(
            master_id__in=list(owner), undone_at__isnull=True
        ).values_list(
            "master_id",
            "duplicate_id",
            "duplicate__full_name",
            "duplicate__surname",
            "duplicate__given_name",
            "duplicate__name_is_han",
        )
        found: dict[int, int] = {}
        for master, duplicate, full, surname, given, is_han in rows:
            if duplicate in seen:
                continue
            seen.add(duplicate)
            names.setdefault(owner[master], []).append((full, surname, given, is_han))
            found[duplicate] = owner[master]
        owner = found
    return names


def guests_visible(viewer: User | AnonymousUser) -> QuerySet[Guest]:
    """The guests ``viewer`` may see: those of the viewer's property, or all.

    A profile merged into another is not shown; its master carries everything.
    """
    queryset = guests_current()
    property_id = _confined_to(viewer)
    if property_id is not None:
        queryset = queryset.filter(property_id=property_id)
    return queryset


def _confined_to(viewer: User | AnonymousUser) -> int | None:
    """The property whose guests alone ``viewer`` sees; ``None`` when all."""
    staff = getattr(viewer, "staff", None)
    if staff is not None and staff.property_id and not viewer.is_superuser:
        return int(staff.property_id)
    return None


# The range of a 64-bit primary key, as every database stores it.
_KEY_LOW, _KEY_HIGH = -(2**63), 2**63 - 1


def guest_ids_visible(viewer: User | AnonymousUser, ids: Sequence[int]) -> set[int]:
    """Those of ``ids`` that :func:`guests_visible` holds, in one plain statement:
    the desk's look-up and card ask it on every request. The same two rules: not
    merged into another profile, and of the viewer's property."""
    from dossier.duplicates.models import Merge

    # A number no key can hold (an id typed into a URL) is no guest, rather than
    # an error of the database.
    ids = [i for i in ids if _KEY_LOW <= i <= _KEY_HIGH]
    if not ids:
        return set()
    params: list[Any] = list(ids)
    sql = (
        f"SELECT t.id FROM {_name(Guest)} t WHERE t.id IN ({_marks(ids)}) "
        f"AND NOT EXISTS (SELECT 1 FROM {_name(Merge)} m "
        "WHERE m.duplicate_id = t.id AND m.undone_at IS NULL)"
    )
    property_id = _confined_to(viewer)
    if property_id is not None:
        sql += " AND t.property_id = %s"
        params.append(property_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def card_queryset() -> QuerySet[Guest]:
    recent_stays = Stay.objects.order_by("-arrival", "-id")
    recent_bills = Bill.objects.select_related("outlet").order_by("-opened_at", "-id")
    lines = BillLine.objects.select_related("dish").order_by("id")
    return Guest.objects.select_related(
        "property", "company", "customer_class"
    ).prefetch_related(
        "phones",
        "documents",
        "special_dates",
        "cards",
        "tags",
        Prefetch(
            "preferences",
            queryset=GuestPreference.objects.select_related("item", "item__group"),
        ),
        Prefetch(
            "observations",
            queryset=Observation.objects.filter(
                kind=ObservationKind.COMPLAINT, resolved=False
            ),
            to_attr="open_complaints",
        ),
        Prefetch(
            "tasks",
            queryset=Task.objects.filter(status=TaskStatus.OPEN).order_by("due"),
            to_attr="open_tasks",
        ),
        Prefetch(
            "stays", queryset=recent_stays[:RECENT_VISITS], to_attr="recent_stays"
        ),
        Prefetch(
            "bills",
            queryset=recent_bills.prefetch_related(Prefetch("lines", queryset=lines))[
                :RECENT_VISITS
            ],
            to_attr="recent_bills",
        ),
    )


@dataclass(frozen=True)
class CardViewer:
    department: str
    sees_full_id: bool
    sees_spend: bool


def card_viewer(viewer: User | AnonymousUser | None) -> CardViewer:
    has_perm = getattr(viewer, "has_perm", lambda _p: False)
    return CardViewer(
        department=viewer_department(viewer),
        sees_full_id=bool(has_perm("guests.view_full_id_number")),
        sees_spend=bool(has_perm("history.view_spend")),
    )


def _alerts(guest: Guest) -> list[dict[str, str]]:
    alerts = [
        {"kind": p.item.code, "label": p.item.name, "text": p.display_value()}
        for p in guest.preferences.all()
        if p.item.is_alert and p.display_value()
    ]
    if guest.blacklisted:
        alerts.append(
            {"kind": "blacklist", "label": "黑名单", "text": guest.blacklist_reason}
        )
    alerts += [
        {"kind": "complaint", "label": "投诉", "text": o.text}
        for o in getattr(guest, "open_complaints", [])
    ]
    return alerts


def _preferences(guest: Guest, department: str) -> list[dict[str, str]]:
    return [
        {
            "code": p.item.code,
            "group": p.item.group.name,
            "label": p.item.name,
            "value": p.display_value(),
        }
        for p in guest.preferences.all()
        if not p.item.is_alert and p.item.matters_to(department) and p.display_value()
    ]


def _recent_visits(guest: Guest, viewer: CardViewer) -> list[dict[str, Any]]:
    visits: list[dict[str, Any]] = []
    for stay in getattr(guest, "recent_stays", []):
        visits.append(
            {
                "type": "stay",
                "date": stay.arrival.isoformat(),
                "until": stay.departure.isoformat(),
                "room": stay.room,
                "room_type": stay.room_type,
                "status": stay.status,
                "nights": stay.nights,
            }
        )
    for bill in getattr(guest, "recent_bills", []):
        visits.append(
            {
                "type": "bill",
                "date": bill.opened_at.date().isoformat(),
                "outlet": bill.outlet.name,
                "table": bill.table,
                "covers": bill.covers,
                "status": bill.status,
                "total": str(bill.total) if viewer.sees_spend else None,
                "dishes": [
                    {
                        "name": line.dish.name,
                        "quantity": str(line.quantity.normalize()),
                        "rating": line.rating,
                    }
                    for line in bill.lines.all()
                ],
            }
        )
    visits.sort(key=lambda v: v["date"], reverse=True)
    return visits[:RECENT_VISITS]


def phones_by_kind(guest: Guest) -> list[tuple[str, list[str]]]:
    """The guest's numbers masked, under the label of their kind (mobile first)."""
    grouped: dict[str, list[str]] = {kind: [] for kind in PhoneKind.values}
    phones = sorted(guest.phones.all(), key=lambda p: (not p.is_primary, p.pk))
    for phone in phones:
        grouped.setdefault(phone.kind, []).append(mask_phone(phone.e164))
    return [
        (str(PhoneKind(kind).label), masked)
        for kind, masked in grouped.items()
        if masked
    ]


def _primary_phone(guest: Guest) -> str:
    phones = sorted(guest.phones.all(), key=lambda p: (not p.is_primary, p.pk))
    return phones[0].e164 if phones else ""


def guest_card(
    guest: Guest, *, viewer: CardViewer, today: date | None = None
) -> dict[str, Any]:
    """The profile card of a guest loaded through :func:`card_queryset`."""
    prop = guest.property
    today = today or prop.today()
    phone = _primary_phone(guest)
    documents = list(guest.documents.all())
    return {
        "id": guest.pk,
        "name": guest.full_name,
        "pinyin": guest.name_pinyin,
        "honorific": guest_honorific(guest, prop),
        "gender": guest.gender,
        "class": guest_class_of(guest),
        **class_detail(guest, sees_spend=viewer.sees_spend),
        "vip": guest.vip_level,
        "company": guest.company.name if guest.company else guest.employer,
        "title": guest.title,
        "alerts": _alerts(guest),
        "preferences": _preferences(guest, viewer.department),
        "upcoming_dates": [
            {
                "date": day.isoformat(),
                "kind": s.kind,
                "label": s.label or s.get_kind_display(),
                "calendar": s.calendar,
                "written": s.display(),
            }
            for day, s in upcoming(
                list(guest.special_dates.all()), today, UPCOMING_DAYS
            )
        ],
        "recent_visits": _recent_visits(guest, viewer),
        "open_tasks": [
            {
                "id": t.pk,
                "title": t.title_shown,
                "due": t.due.isoformat(),
                "kind": t.kind,
                "overdue": t.due < today,
            }
            for t in getattr(guest, "open_tasks", [])
        ],
        "tags": [tag.name for tag in guest.tags.all()],
        "cards": [c.number for c in guest.cards.all()],
        "mobile_masked": mask_phone(phone) if phone else "",
        "id_number_masked": documents[0].number_masked if documents else "",
    }


def guest_cards(
    ids: list[int], *, viewer: CardViewer, today: date | None = None
) -> list[dict[str, Any]]:
    """Cards of several guests, in the order of ``ids``, with the same few queries."""
    guests = _cards_load(list(dict.fromkeys(ids)))
    return [
        guest_card(guests[i], viewer=viewer, today=today) for i in ids if i in guests
    ]


def _cached(instance: models.Model, name: str, items: list[Any]) -> None:
    """Give ``instance.<name>.all()`` the loaded ``items``, as a prefetch does."""
    manager = getattr(instance, name)
    queryset = manager.model._default_manager.none()
    queryset._result_cache = items
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    # The cache is keyed by the accessor: the related name, or the field for tags.
    cache[name] = queryset


def _recent(model: type[models.Model], when: str, ids: list[int], joins: str = "",
            extra: Sequence[_Table] = ()) -> tuple[str, list[Any]]:  # fmt: skip
    """The last :data:`RECENT_VISITS` rows of each guest, newest first."""
    columns = ", ".join([_t(model).columns, *(e.columns for e in extra)])
    order = f't."{when}" DESC, t."id" DESC'
    if len(ids) == 1:
        sql = (
            f"SELECT {columns} FROM {_name(model)} t {joins} WHERE t.guest_id = %s "
            f"ORDER BY {order} LIMIT {RECENT_VISITS}"
        )
        return sql, ids
    sql = (
        f"SELECT * FROM (SELECT {columns}, ROW_NUMBER() OVER (PARTITION BY t.guest_id "
        f"ORDER BY {order}) AS recent FROM {_name(model)} t {joins} "
        f"WHERE t.guest_id IN ({_marks(ids)})) r WHERE recent <= {RECENT_VISITS} "
        f"ORDER BY guest_id"
    )
    return sql, ids


def _cards_load(ids: list[int]) -> dict[int, Guest]:
    """The guests with everything :func:`guest_card` reads, in one query per table."""
    if not ids:
        return {}
    with connection.cursor() as cursor:
        guests = _guests_load(cursor, ids)
        if not guests:
            return {}
        found = list(guests)
        for name, model in (
            ("phones", GuestPhone),
            ("documents", IdentityDocument),
            ("special_dates", SpecialDate),
            ("cards", MemberCard),
        ):
            items = _children(cursor, model, found)
            for guest_id, guest in guests.items():
                _cached(guest, name, items.get(guest_id, []))
        _tags_load(cursor, guests)
        _preferences_load(cursor, guests)
        _attributes_load(cursor, guests)
        _visits_load(cursor, guests)
    return guests


def _guests_load(cursor: Any, ids: list[int]) -> dict[int, Guest]:
    tables = (_t(Guest), _t(Property, "p"), _t(Company, "c"), _t(GuestClass, "k"))
    cursor.execute(
        f"SELECT {', '.join(t.columns for t in tables)} FROM {_name(Guest)} t "
        f"JOIN {_name(Property)} p ON p.id = t.property_id "
        f"LEFT JOIN {_name(Company)} c ON c.id = t.company_id "
        f"LEFT JOIN {_name(GuestClass)} k ON k.guest_id = t.id "
        f"WHERE t.id IN ({_marks(ids)})",
        ids,
    )
    guests: dict[int, Guest] = {}
    properties: dict[int, models.Model] = {}
    for row in cursor.fetchall():
        guest, prop, company, klass = _split(row, *tables)
        assert isinstance(guest, Guest)
        assert prop is not None
        prop = properties.setdefault(prop.pk, prop)
        Guest.property.field.set_cached_value(guest, prop)
        Guest.company.field.set_cached_value(guest, company)
        Guest.customer_class.related.set_cached_value(guest, klass)
        guests[guest.pk] = guest
    return guests


def _children(
    cursor: Any, model: type[models.Model], ids: list[int]
) -> dict[int, list[Any]]:
    cursor.execute(
        f"SELECT {_t(model).columns} FROM {_name(model)} t "
        f"WHERE t.guest_id IN ({_marks(ids)}) ORDER BY t.id",
        ids,
    )
    items: dict[int, list[Any]] = defaultdict(list)
    table = _t(model)
    for row in cursor.fetchall():
        item = table.build(row)
        items[item.guest_id].append(item)  # type: ignore[attr-defined]
    return items


def _tags_load(cursor: Any, guests: dict[int, Guest]) -> None:
    through = Guest.tags.through
    ids = list(guests)
    cursor.execute(
        f"SELECT g.guest_id, {_t(Tag).columns} FROM {_name(Tag)} t "
        f"JOIN {_name(through)} g ON g.tag_id = t.id "
        f"WHERE g.guest_id IN ({_marks(ids)}) ORDER BY g.id",
        ids,
    )
    tags: dict[int, list[Any]] = defaultdict(list)
    for row in cursor.fetchall():
        tags[row[0]].append(_t(Tag).build(row[1:]))
    for guest_id, guest in guests.items():
        _cached(guest, "tags", tags.get(guest_id, []))


def _preferences_load(cursor: Any, guests: dict[int, Guest]) -> None:
    tables = (_t(GuestPreference), _t(PreferenceItem, "i"), _t(PreferenceGroup, "g"))
    ids = list(guests)
    cursor.execute(
        f"SELECT {', '.join(t.columns for t in tables)} FROM {_name(GuestPreference)} t "
        f"JOIN {_name(PreferenceItem)} i ON i.id = t.item_id "
        f"JOIN {_name(PreferenceGroup)} g ON g.id = i.group_id "
        f"WHERE t.guest_id IN ({_marks(ids)}) ORDER BY t.id",
        ids,
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for row in cursor.fetchall():
        preference, item, group = _split(row, *tables)
        assert isinstance(preference, GuestPreference)
        assert item is not None
        PreferenceItem.group.field.set_cached_value(item, group)
        GuestPreference.item.field.set_cached_value(preference, item)
        found[preference.guest_id].append(preference)
    for guest_id, guest in guests.items():
        _cached(guest, "preferences", found.get(guest_id, []))


def _attributes_load(cursor: Any, guests: dict[int, Guest]) -> None:
    """Open complaints and open tasks, as the ``to_attr`` prefetches give them."""
    ids = list(guests)
    cursor.execute(
        f"SELECT {_t(Observation).columns} FROM {_name(Observation)} t "
        f"WHERE t.guest_id IN ({_marks(ids)}) AND t.kind = %s AND NOT t.resolved "
        f"ORDER BY t.observed_at DESC",
        [*ids, ObservationKind.COMPLAINT.value],
    )
    complaints: dict[int, list[Any]] = defaultdict(list)
    for row in cursor.fetchall():
        item = _t(Observation).build(row)
        complaints[item.guest_id].append(item)  # type: ignore[attr-defined]
    cursor.execute(
        f"SELECT {_t(Task).columns} FROM {_name(Task)} t "
        f"WHERE t.guest_id IN ({_marks(ids)}) AND t.status = %s ORDER BY t.due",
        [*ids, TaskStatus.OPEN.value],
    )
    tasks: dict[int, list[Any]] = defaultdict(list)
    for row in cursor.fetchall():
        item = _t(Task).build(row)
        tasks[item.guest_id].append(item)  # type: ignore[attr-defined]
    for guest_id, guest in guests.items():
        guest.open_complaints = complaints.get(guest_id, [])  # type: ignore[attr-defined]
        guest.open_tasks = tasks.get(guest_id, [])  # type: ignore[attr-defined]


def _visits_load(cursor: Any, guests: dict[int, Guest]) -> None:
    """The last stays and bills of each guest, with the bills' outlets and lines."""
    ids = list(guests)
    stays: dict[int, list[Any]] = defaultdict(list)
    cursor.execute(*_recent(Stay, "arrival", ids))
    for row in cursor.fetchall():
        stay = _t(Stay).build(row[: len(_t(Stay).attnames)])
        stays[stay.guest_id].append(stay)  # type: ignore[attr-defined]
    outlet = _t(Outlet, "o")
    bills: dict[int, list[Any]] = defaultdict(list)
    by_id: dict[int, Any] = {}
    joins = f"JOIN {_name(Outlet)} o ON o.id = t.outlet_id"
    cursor.execute(*_recent(Bill, "opened_at", ids, joins, (outlet,)))
    for row in cursor.fetchall():
        bill, place = _split(row, _t(Bill), outlet)
        assert isinstance(bill, Bill)
        Bill.outlet.field.set_cached_value(bill, place)
        bills[bill.guest_id].append(bill)
        by_id[bill.pk] = bill
    _lines_load(cursor, by_id)
    for guest_id, guest in guests.items():
        guest.recent_stays = stays.get(guest_id, [])  # type: ignore[attr-defined]
        guest.recent_bills = bills.get(guest_id, [])  # type: ignore[attr-defined]


def _lines_load(cursor: Any, bills: dict[int, Any]) -> None:
    lines: dict[int, list[Any]] = defaultdict(list)
    if bills:
        tables = (_t(BillLine), _t(Dish, "d"))
        ids = list(bills)
        cursor.execute(
            f"SELECT {', '.join(t.columns for t in tables)} FROM {_name(BillLine)} t "
            f"JOIN {_name(Dish)} d ON d.id = t.dish_id "
            f"WHERE t.bill_id IN ({_marks(ids)}) ORDER BY t.id",
            ids,
        )
        for row in cursor.fetchall():
            line, dish = _split(row, *tables)
            assert isinstance(line, BillLine)
            BillLine.dish.field.set_cached_value(line, dish)
            lines[line.bill_id].append(line)
    for bill_id, bill in bills.items():
        _cached(bill, "lines", lines.get(bill_id, []))
