"""The monthly key-guest list (重点客户) and the meeting that discusses it.

For a month: the guests who became A clients in the month before, the A clients not
seen for ``not_seen_days`` before the month starts, and the special dates of A and B
clients falling in the month. The meeting's minutes are kept, and each decision is
filed to the guest's profile as an observation (and a task when it has a due date).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils.translation import gettext as _

from dossier.care.models import Task
from dossier.classes.errors import ClassError, ClassErrorCode
from dossier.classes.models import (
    ClassChange,
    CustomerClass,
    KeyGuestDecision,
    KeyGuestMeeting,
)
from dossier.classes.selectors import CLASS_FIELD
from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.core.punctuation import punctuation
from dossier.guests.dates import upcoming
from dossier.guests.models import Guest, ObservationKind, SpecialDate
from dossier.guests.selectors import not_merged
from dossier.guests.services import observation_add
from dossier.history.models import SpendLine

NOT_SEEN_DAYS = 90
# The longest absence the list looks back over: ten years.
NOT_SEEN_DAYS_MAX = 3650
DECISION_MAX = 500


def month_parse(text: str, *, today: date) -> date:
    """The first day of the month ``YYYY-MM`` names; this month when empty."""
    if not text:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise ClassError(
            ClassErrorCode.INVALID_MONTH,
            _("月份“%(text)s”应为 YYYY-MM 格式") % {"text": text},
            field="month",
        ) from None


def month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


@dataclass
class KeyGuest:
    guest: Guest
    reason: str
    when: date | None
    last_visit: date | None


def _last_visit() -> Subquery:
    return Subquery(
        SpendLine.objects.filter(guest_id=OuterRef("pk"))
        .values("guest_id")
        .annotate(last=Max("date"))
        .values("last")[:1]
    )


def _guests(prop: Property) -> Any:
    return (
        Guest.objects.filter(property=prop)
        .filter(not_merged())
        .annotate(last_visit=_last_visit())
    )


def new_a_clients(prop: Property, month: date) -> list[KeyGuest]:
    start = (month - timedelta(days=1)).replace(day=1)
    changes = dict(
        ClassChange.objects.filter(
            guest__property=prop, to_class=CustomerClass.A, on__gte=start,
            on__lt=month,
        ).values_list("guest_id", "on")
    )  # fmt: skip
    guests = _guests(prop).filter(pk__in=list(changes), **{CLASS_FIELD: "A"})
    return [
        KeyGuest(
            g,
            _("%(start)s 升为 A 类") % {"start": f"{start:%Y-%m}"},
            changes[g.pk],
            g.last_visit,
        )
        for g in guests.order_by("name_sort")
    ]


def a_clients_not_seen(prop: Property, month: date, days: int) -> list[KeyGuest]:
    since = month - timedelta(days=days)
    guests = _guests(prop).filter(**{CLASS_FIELD: "A"}).exclude(last_visit__gte=since)
    return [
        KeyGuest(g, _("%(days)s 天以上未到店") % {"days": days}, None, g.last_visit)
        for g in guests.order_by("last_visit", "name_sort")
    ]


def special_dates(prop: Property, month: date) -> list[KeyGuest]:
    specials = list(
        SpecialDate.objects.filter(
            guest__property=prop,
            **{f"guest__{CLASS_FIELD}__in": [CustomerClass.A, CustomerClass.B]},
        ).select_related("guest")
    )
    end = month_end(month)
    found = upcoming(specials, month, (end - month).days)
    return [
        KeyGuest(
            s.guest,
            f"{s.label or s.get_kind_display()}"
            f"{punctuation('（')}{s.display()}{punctuation('）')}",
            day,
            None,
        )
        for day, s in found
        if month <= day <= end
    ]


def key_guest_list(
    prop: Property, month: date, not_seen_days: int = NOT_SEEN_DAYS
) -> dict[str, list[KeyGuest]]:
    return {
        "new_a": new_a_clients(prop, month),
        "not_seen": a_clients_not_seen(prop, month, not_seen_days),
        "dates": special_dates(prop, month),
    }


@dataclass(frozen=True)
class DecisionInput:
    guest_id: int
    text: str
    task_due: date | None = None


@transaction.atomic
def meeting_file(
    *, actor: User, property: Property, month: date, held_on: date, attendees: str,
    minutes: str, decisions: list[DecisionInput],
) -> KeyGuestMeeting:  # fmt: skip
    """Keep the minutes; file each decision to its guest as an observation and,
    when it has a due date, as a task for marketing."""
    if not minutes.strip():
        raise ClassError(
            ClassErrorCode.REASON_REQUIRED, _("请填写会议纪要"), field="minutes"
        )
    guests = (
        Guest.objects.filter(property=property)
        .filter(not_merged())
        .in_bulk([d.guest_id for d in decisions])
    )
    for d in decisions:
        if d.guest_id not in guests:
            raise ClassError(ClassErrorCode.INVALID_GUEST, _("档案 %(guest_id)s 不在本店") % {"guest_id": d.guest_id},
                             field="decisions")  # fmt: skip
        if not d.text.strip() or len(d.text) > DECISION_MAX:
            raise ClassError(
                ClassErrorCode.REASON_REQUIRED,
                _("%(full_name)s：决定应为 1 至 %(decision_max)s 个字")
                % {
                    "full_name": guests[d.guest_id].full_name,
                    "decision_max": DECISION_MAX,
                },
                field="decisions",
            )
    meeting = KeyGuestMeeting.objects.create(
        property=property, month=month, held_on=held_on, attendees=attendees.strip(),
        minutes=minutes.strip(), created_by=actor,
    )  # fmt: skip
    touchpoint = _("重点客户例会 %(month)s") % {"month": f"{month:%Y-%m}"}
    for d in decisions:
        guest = guests[d.guest_id]
        observation = observation_add(
            actor=actor, guest=guest, department="marketing", text=d.text,
            touchpoint=touchpoint, kind=ObservationKind.NOTE,
        )  # fmt: skip
        task = (
            Task.objects.create(guest=guest, title=d.text.strip()[:200], owner=actor,
                                department="marketing", due=d.task_due)
            if d.task_due else None
        )  # fmt: skip
        KeyGuestDecision.objects.create(
            meeting=meeting, guest=guest, text=d.text.strip(),
            observation=observation, task=task,
        )  # fmt: skip
    audit(actor=actor, action=AuditAction.KEY_GUESTS_MEETING_FILED, obj=meeting,
          month=f"{month:%Y-%m}", decisions=len(decisions))  # fmt: skip
    return meeting
