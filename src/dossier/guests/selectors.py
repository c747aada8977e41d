"""Reading guest profiles: the profile card and what the card needs.

The card is built with a fixed number of queries, whatever the guest's history.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, QuerySet

from dossier.care.models import Task, TaskStatus
from dossier.core.models import Property
from dossier.guests.dates import upcoming
from dossier.guests.models import (
    Guest,
    GuestPreference,
    Observation,
    ObservationKind,
)
from dossier.history.models import Bill, BillLine, Stay
from dossier.zh.honorifics import honorific
from dossier.zh.phones import mask_phone

RECENT_VISITS = 5
UPCOMING_DAYS = 30


def guest_honorific(guest: Guest, prop: Property) -> str:
    """How staff address ``guest`` under the property's settings."""
    gender = guest.gender if guest.gender in ("M", "F") else ""
    return honorific(
        surname=guest.surname,
        given_name=guest.given_name,
        gender=gender,  # type: ignore[arg-type]
        is_han=guest.name_is_han,
        title=guest.title,
        prefer_title=prop.prefer_titles,
        latin_style="en" if prop.latin_honorific == "en" else "zh",
        override=guest.honorific_override,
    )


def viewer_department(viewer: User | AnonymousUser | None) -> str:
    staff = getattr(viewer, "staff", None)
    return str(getattr(staff, "department", "") or "")


def guests_visible(viewer: User | AnonymousUser) -> QuerySet[Guest]:
    """The guests ``viewer`` may see: those of the viewer's property, or all."""
    queryset = Guest.objects.all()
    staff = getattr(viewer, "staff", None)
    if staff is not None and staff.property_id and not viewer.is_superuser:
        queryset = queryset.filter(property_id=staff.property_id)
    return queryset


def card_queryset() -> QuerySet[Guest]:
    recent_stays = Stay.objects.order_by("-arrival", "-id")
    recent_bills = Bill.objects.select_related("outlet").order_by("-opened_at", "-id")
    lines = BillLine.objects.select_related("dish").order_by("id")
    return Guest.objects.select_related("property", "company").prefetch_related(
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
        "class": guest.guest_class,
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
            {"id": t.pk, "title": t.title, "due": t.due.isoformat()}
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
    guests = {g.pk: g for g in card_queryset().filter(pk__in=ids)}
    return [
        guest_card(guests[i], viewer=viewer, today=today) for i in ids if i in guests
    ]
