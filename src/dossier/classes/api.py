"""API of classes: the policy, recomputation, one guest's class, pins."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from dossier.api.types import Money, PageLimit, PageOffset
from dossier.classes.errors import ClassError
from dossier.classes.keyguests import (
    DECISION_MAX,
    NOT_SEEN_DAYS,
    NOT_SEEN_DAYS_MAX,
    DecisionInput,
    key_guest_list,
    meeting_file,
    month_parse,
)
from dossier.classes.models import ClassChange
from dossier.classes.selectors import (
    class_changes_of,
    class_history,
    class_row,
    guest_class_of,
)
from dossier.classes.services import (
    REASON_MAX,
    PolicyInput,
    class_pin,
    class_unpin,
    classes_recompute,
    policy_get,
    policy_update,
)
from dossier.guests.models import Guest
from dossier.guests.selectors import guests_visible
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

router = Router(tags=["classes"])


class PolicyIO(Schema):
    a_min_spend: Money
    b_min_spend: Money
    a_min_visits: int = Field(0, ge=0)
    b_min_visits: int = Field(0, ge=0)
    company_is_b: bool = True
    window_days: int = 365


class ErrorOut(Schema):
    code: str
    message: str
    field: str = ""


class ReportOut(Schema):
    on: date
    window_start: date
    guests: int
    by_class: dict[str, int]
    changed: int
    upgraded: int
    downgraded: int
    pinned: int
    seconds: float


class ChangeOut(Schema):
    on: date
    from_class: str
    to_class: str
    kind: str
    reason: str


class GuestClassOut(Schema):
    guest_id: int
    klass: str
    pinned: bool
    pin_reason: str
    annual_spend: Decimal | None
    visits: int | None
    computed_on: date | None
    history_count: int
    history: list[ChangeOut]


class PinIn(Schema):
    klass: str
    reason: str = Field(max_length=REASON_MAX)


class UnpinIn(Schema):
    reason: str = Field(max_length=REASON_MAX)


def _need(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionError


def _refused(error: ClassError) -> Status[dict[str, str]]:
    return Status(
        422, {"code": str(error.code), "message": error.message, "field": error.field}
    )


def _policy_out(policy: Any) -> dict[str, Any]:
    return {name: getattr(policy, name) for name in PolicyIO.model_fields}


@router.get("/policy", response=PolicyIO, summary="The class thresholds")
def policy_read(request: HttpRequest) -> dict[str, Any]:
    _need(request, "history.view_spend")
    return _policy_out(policy_get(viewer_property(request.user)))


@router.put("/policy", response={200: PolicyIO, 422: ErrorOut}, summary="Set them")
def policy_write(request: HttpRequest, payload: PolicyIO) -> Any:
    _need(request, "classes.change_classpolicy")
    try:
        policy = policy_update(actor=request.user, property=viewer_property(
            request.user), data=PolicyInput(**payload.dict()))  # fmt: skip
    except ClassError as error:
        return _refused(error)
    return _policy_out(policy)


@router.post("/recompute", response=ReportOut, summary="Recompute every class now")
def recompute(request: HttpRequest) -> Any:
    _need(request, "classes.recompute_classes")
    return classes_recompute(property=viewer_property(request.user), actor=request.user)


def _guest(request: HttpRequest, guest_id: int) -> Guest:
    _need(request, "guests.view_guest")
    guest = guests_visible(request.user).select_related("property", "customer_class")
    found = guest.filter(pk=guest_id).first()
    if found is None:
        raise Http404
    return found


def _class_out(
    request: HttpRequest, guest: Guest, *, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    row = class_row(guest)
    spend = request.user.has_perm("history.view_spend") and row is not None
    return {
        "guest_id": guest.pk,
        "klass": guest_class_of(guest),
        "pinned": bool(row and row.pinned),
        "pin_reason": row.pin_reason if row else "",
        "annual_spend": row.annual_spend if spend and row else None,
        "visits": row.visits if spend and row else None,
        "computed_on": row.computed_on if row else None,
        "history_count": class_changes_of(guest).count(),
        "history": class_history(guest, limit=limit, offset=offset),
    }


@router.get(
    "/guests/{guest_id}",
    response=GuestClassOut,
    summary="A guest's class and a page of its changes, the latest first",
)
def guest_class(
    request: HttpRequest,
    guest_id: int,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> dict[str, Any]:
    guest = _guest(request, guest_id)
    return _class_out(request, guest, limit=limit, offset=offset)


@router.post(
    "/guests/{guest_id}/pin", response={200: GuestClassOut, 422: ErrorOut},
    summary="Pin a class with a reason",
)  # fmt: skip
def pin(request: HttpRequest, guest_id: int, payload: PinIn) -> Any:
    guest = _guest(request, guest_id)
    _need(request, "classes.pin_guestclass")
    try:
        class_pin(actor=request.user, guest=guest, klass=payload.klass,
                  reason=payload.reason)  # fmt: skip
    except ClassError as error:
        return _refused(error)
    return _class_out(request, _guest(request, guest_id))


@router.post(
    "/guests/{guest_id}/unpin", response={200: GuestClassOut, 422: ErrorOut},
    summary="Release a pin",
)  # fmt: skip
def unpin(request: HttpRequest, guest_id: int, payload: UnpinIn) -> Any:
    guest = _guest(request, guest_id)
    _need(request, "classes.pin_guestclass")
    try:
        class_unpin(actor=request.user, guest=guest, reason=payload.reason)
    except ClassError as error:
        return _refused(error)
    return _class_out(request, _guest(request, guest_id))


class KeyGuestOut(Schema):
    list: str
    guest_id: int
    name: str
    klass: str
    reason: str
    when: date | None
    last_visit: date | None


class KeyGuestsOut(Schema):
    month: str
    not_seen_days: int
    guests: list[KeyGuestOut]


class DecisionIn(Schema):
    guest_id: int
    text: str = Field(max_length=DECISION_MAX)
    task_due: date | None = None


class MeetingIn(Schema):
    month: str
    held_on: date
    attendees: str = Field("", max_length=500)
    minutes: str = Field(max_length=10_000)
    decisions: list[DecisionIn] = []


class MeetingOut(Schema):
    id: int
    month: str
    held_on: date
    decisions: int


@router.get(
    "/key-guests", response={200: KeyGuestsOut, 422: ErrorOut},
    summary="The key-guest list of a month (new A, A not seen for N days, dates)",
)  # fmt: skip
def key_guests(request: HttpRequest, month: str = "", days: int = NOT_SEEN_DAYS) -> Any:
    _need(request, "history.view_spend")
    prop = viewer_property(request.user)
    try:
        first = month_parse(month, today=prop.today())
    except ClassError as error:
        return _refused(error)
    if not 1 <= days <= NOT_SEEN_DAYS_MAX:
        return Status(422, {"code": "invalid_days", "field": "days",
                            "message": f"days 应在 1 至 {NOT_SEEN_DAYS_MAX} 之间"})  # fmt: skip
    lists = key_guest_list(prop, first, days)
    rows = [
        {"list": key, "guest_id": k.guest.pk, "name": k.guest.full_name,
         "klass": k.guest.guest_class, "reason": k.reason, "when": k.when,
         "last_visit": k.last_visit}
        for key, items in lists.items()
        for k in items
    ]  # fmt: skip
    return {"month": f"{first:%Y-%m}", "not_seen_days": days, "guests": rows}


@router.post(
    "/key-guests/meetings", response={201: MeetingOut, 422: ErrorOut},
    summary="File the minutes of a key-guest meeting and its decisions per guest",
)  # fmt: skip
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Any:
    _need(request, "classes.recompute_classes")
    prop = viewer_property(request.user)
    try:
        first = month_parse(payload.month, today=prop.today())
        meeting = meeting_file(
            actor=request_actor(request), property=prop, month=first,
            held_on=payload.held_on, attendees=payload.attendees,
            minutes=payload.minutes,
            decisions=[DecisionInput(guest_id=d.guest_id, text=d.text,
                                     task_due=d.task_due) for d in payload.decisions],
        )  # fmt: skip
    except ClassError as error:
        return _refused(error)
    return Status(201, {"id": meeting.pk, "month": f"{first:%Y-%m}",
                        "held_on": meeting.held_on,
                        "decisions": meeting.decisions.count()})  # fmt: skip


class ChangeRowOut(ChangeOut):
    guest_id: int
    name: str


@router.get(
    "/changes", response={200: list[ChangeRowOut], 422: ErrorOut},
    summary="Class changes of the guests one may see, newest first",
)  # fmt: skip
def changes(
    request: HttpRequest,
    since: date | None = None,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> Any:
    _need(request, "history.view_spend")
    prop = viewer_property(request.user)
    found = (
        ClassChange.objects.filter(
            guest__in=guests_visible(request.user).filter(property=prop)
        )
        .select_related("guest")
        .order_by("-at", "-id")
    )
    if since is not None:
        found = found.filter(on__gte=since)
    return [
        {"on": c.on, "from_class": c.from_class, "to_class": c.to_class,
         "kind": c.kind, "reason": c.reason_shown, "guest_id": c.guest_id,
         "name": c.guest.full_name}
        for c in found[offset : offset + limit]
    ]  # fmt: skip
