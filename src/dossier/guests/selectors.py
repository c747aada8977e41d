"""Reading guest profiles: the profile card and what the card needs.

:func:`guest_cards`, which the desk calls on every keystroke, reads all its guests
in one statement whatever their history (see :mod:`dossier.guests.cardload`),
filling the same model instances and prefetch caches as :func:`card_queryset`, so
that :func:`guest_card` shows the same card either way.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import get_language

from dossier.care.models import Task, TaskStatus
from dossier.classes.selectors import class_detail, guest_class_of
from dossier.core.models import Property
from dossier.guests.cardload import RECENT_VISITS, Condition, cards_load
from dossier.guests.dates import upcoming
from dossier.guests.models import (
    Guest,
    GuestPreference,
    Observation,
    ObservationKind,
    PhoneKind,
    Tag,
)
from dossier.history.models import Bill, BillLine, Stay
from dossier.zh.honorifics import honorific
from dossier.zh.phones import mask_phone

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
    prop = _visible_property(viewer)
    if prop is not None:
        queryset = queryset.filter(property_id=prop)
    return queryset


def _visible_property(viewer: User | AnonymousUser) -> int | None:
    """The only property whose guests ``viewer`` may see; ``None`` for all."""
    staff = getattr(viewer, "staff", None)
    if staff is not None and staff.property_id and not viewer.is_superuser:
        return int(staff.property_id)
    return None


def visible_sql(viewer: User | AnonymousUser) -> Condition:
    """:func:`guests_visible` as SQL on the guest ``g``, for the card's statement."""
    from dossier.duplicates.models import Merge

    merge = connection.ops.quote_name(Merge._meta.db_table)
    sql = (
        f"NOT EXISTS (SELECT 1 FROM {merge} m WHERE m.duplicate_id = g.id"
        f" AND m.undone_at IS NULL)"
    )
    prop = _visible_property(viewer)
    if prop is None:
        return sql, []
    return f"{sql} AND g.property_id = %s", [prop]


def card_queryset() -> QuerySet[Guest]:
    """Guests with what :func:`guest_card` reads, as the ORM's prefetches give it:
    the reference that the card's one statement (:func:`card_guests`) is held to
    by the tests."""
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
        Prefetch("tags", queryset=Tag.objects.order_by("pk")),
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
    ids: list[int],
    *,
    viewer: CardViewer,
    today: date | None = None,
    visible_to: User | AnonymousUser | None = None,
) -> list[dict[str, Any]]:
    """Cards of several guests, in the order of ``ids``, in one statement; with
    ``visible_to``, only of the guests that user may see."""
    guests = card_guests(ids, visible_to=visible_to)
    return [
        guest_card(guests[i], viewer=viewer, today=today) for i in ids if i in guests
    ]


def card_guests(
    ids: Sequence[int], *, visible_to: User | AnonymousUser | None = None
) -> dict[int, Guest]:
    """The guests of ``ids`` loaded for :func:`guest_card` (as by
    :func:`card_queryset`), with ``visible_to`` only those that user may see."""
    where = visible_sql(visible_to) if visible_to is not None else ("", [])
    # A number no key can hold (an id typed into a URL) is no guest, rather than an
    # error of the database.
    wanted = [i for i in dict.fromkeys(ids) if _KEY_LOW <= i <= _KEY_HIGH]
    return cards_load(wanted, where) if wanted else {}


# The range of a 64-bit primary key, as every database stores it.
_KEY_LOW, _KEY_HIGH = -(2**63), 2**63 - 1
