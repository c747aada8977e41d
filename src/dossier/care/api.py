"""API endpoints of care: tasks, reminder rules, daily run reports and campaigns."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from dossier.api.types import Money, PageLimit, PageOffset
from dossier.care import campaigns as campaign_services
from dossier.care.daily import run_daily_property
from dossier.care.errors import CareError, CareErrorCode
from dossier.care.models import Campaign, Consent, DailyRun, ReminderRule, Task
from dossier.care.rules import RuleInput, rule_save, rules_ensure
from dossier.care.selectors import (
    consent_rows,
    daily_runs,
    my_tasks_queryset,
    staff_property,
)
from dossier.care.services import (
    MANAGE_CARE,
    consent_record,
    task_close,
    task_may_close,
)
from dossier.care.timing import campaign_timing
from dossier.guests.errors import GuestError
from dossier.guests.models import Guest
from dossier.guests.selectors import guests_visible
from dossier.web.http import request_actor

router = Router(tags=["care"])


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionError


class ErrorOut(Schema):
    code: str
    message: str
    field: str


def _error(error: CareError) -> Status[dict[str, str]]:
    status = {CareErrorCode.NOT_OPEN: 409, CareErrorCode.NOT_ALLOWED: 403}.get(
        error.code, 422
    )
    return Status(
        status,
        {"code": str(error.code), "message": error.message, "field": error.field},
    )


class TaskOut(Schema):
    id: int
    guest_id: int
    guest: str
    title: str
    detail: str
    kind: str
    due: date
    occurs_on: date | None
    status: str
    outcome: str
    overdue: bool
    owner: str | None
    department: str


def _task_out(task: Task, today: date) -> dict[str, Any]:
    return {
        "id": task.pk,
        "guest_id": task.guest_id,
        "guest": task.guest.full_name,
        "title": task.title_shown,
        "detail": task.detail,
        "kind": task.kind,
        "due": task.due,
        "occurs_on": task.occurs_on,
        "status": task.status,
        "outcome": task.outcome,
        "overdue": task.status == "open" and task.due < today,
        "owner": task.owner.username if task.owner else None,
        "department": task.department,
    }


@router.get("/tasks", response=list[TaskOut], summary="My tasks, overdue first")
def task_list(
    request: HttpRequest,
    status: str = "open",
    kind: str = "",
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> list[dict[str, Any]]:
    user = request_actor(request)
    today = staff_property(user).today()
    tasks = my_tasks_queryset(user).select_related("guest", "owner")
    if status:
        tasks = tasks.filter(status=status)
    if kind:
        tasks = tasks.filter(kind=kind)
    found = tasks.order_by("due", "id")[offset : offset + limit]
    return [_task_out(t, today) for t in found]


class CloseIn(Schema):
    status: str
    outcome: str


@router.post(
    "/tasks/{task_id}/close",
    response={200: TaskOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Mark a task done (with its outcome) or cancelled",
)
def task_close_api(request: HttpRequest, task_id: int, payload: CloseIn) -> Any:
    user = request_actor(request)
    prop = staff_property(user)
    task = get_object_or_404(
        Task.objects.select_related("guest", "owner"), pk=task_id, guest__property=prop
    )
    if not task_may_close(user, task):
        raise Http404
    try:
        task = task_close(
            actor=user, task=task, status=payload.status, outcome=payload.outcome
        )
    except CareError as error:
        return _error(error)
    return _task_out(task, prop.today())


class RuleOut(Schema):
    id: int
    name: str
    kind: str
    days: int
    classes: str
    date_kinds: str
    channel: str
    subject: str
    template: str
    gift_text: str
    owner_department: str
    owner_id: int | None
    active: bool


class RuleIn(Schema):
    name: str
    kind: str
    days: int
    classes: str
    channel: str = "task"
    template: str = ""
    subject: str = ""
    gift_text: str = ""
    date_kinds: str = ""
    owner_department: str = ""
    owner_id: int | None = None
    active: bool = True


@router.get("/rules", response=list[RuleOut], summary="Reminder rules")
def rule_list(request: HttpRequest) -> list[ReminderRule]:
    _require(request, MANAGE_CARE)
    return rules_ensure(staff_property(request_actor(request)))


def _rule_input(payload: RuleIn, prop: Any) -> RuleInput:
    from django.contrib.auth.models import User

    owner = None
    if payload.owner_id is not None:
        owner = User.objects.filter(pk=payload.owner_id).first()
        if owner is None:
            raise CareError(
                CareErrorCode.INVALID_VALUE, _("找不到该负责人"), field="owner"
            )
    values = payload.dict()
    values.pop("owner_id")
    return RuleInput(**values, owner=owner)


@router.post(
    "/rules", response={201: RuleOut, 422: ErrorOut}, summary="Add a reminder rule"
)
def rule_create(request: HttpRequest, payload: RuleIn) -> Any:
    _require(request, MANAGE_CARE)
    user = request_actor(request)
    prop = staff_property(user)
    try:
        rule = rule_save(actor=user, prop=prop, data=_rule_input(payload, prop))
    except CareError as error:
        return _error(error)
    return Status(201, rule)


@router.put(
    "/rules/{rule_id}",
    response={200: RuleOut, 422: ErrorOut},
    summary="Change a reminder rule",
)
def rule_update(request: HttpRequest, rule_id: int, payload: RuleIn) -> Any:
    _require(request, MANAGE_CARE)
    user = request_actor(request)
    prop = staff_property(user)
    rule = get_object_or_404(ReminderRule, pk=rule_id, property=prop)
    try:
        return rule_save(
            actor=user, prop=prop, rule=rule, data=_rule_input(payload, prop)
        )
    except CareError as error:
        return _error(error)


class JobRunOut(Schema):
    job: str
    day: date
    status: str
    created: int
    sent: int
    skipped: list[dict[str, str]]
    error: str


class DailyRunOut(Schema):
    id: int
    today: date
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    created: int
    sent: int
    skipped: int
    missed: int
    failed: int
    jobs: list[JobRunOut]


def _run_out(run: DailyRun) -> dict[str, Any]:
    return {
        **{
            name: getattr(run, name)
            for name in (
                "today",
                "trigger",
                "started_at",
                "finished_at",
                "created",
                "sent",
                "skipped",
                "missed",
                "failed",
            )
        },
        "id": run.pk,
        "jobs": list(run.job_runs.all()),
    }


@router.get("/runs", response=list[DailyRunOut], summary="Daily run reports")
def run_list(
    request: HttpRequest, limit: PageLimit = 50, offset: PageOffset = 0
) -> list[dict[str, Any]]:
    _require(request, MANAGE_CARE)
    prop = staff_property(request_actor(request))
    return [_run_out(r) for r in daily_runs(prop, limit=limit, offset=offset)]


@router.post("/runs", response=DailyRunOut, summary="Start the daily run now")
def run_now(request: HttpRequest) -> dict[str, Any]:
    _require(request, MANAGE_CARE)
    prop = staff_property(request_actor(request))
    return _run_out(run_daily_property(prop, trigger="api"))


class CampaignIn(Schema):
    name: Annotated[str, Field(max_length=100)]
    channel: str = "sms"
    body: str
    subject: str = ""
    classes: str = ""
    tags: str = ""
    preference: str = ""
    visited_after: date | None = None
    visited_before: date | None = None
    send_on: date | None = None


class EstimateOut(Schema):
    recipients: int
    refused: int
    parts: int
    cost: Decimal
    sample: str
    sample_units: int
    sample_parts: int
    reasons: dict[str, int]


class ResponsesOut(Schema):
    sent: int
    delivered: int
    failed: int
    skipped: int
    replies: int
    opt_outs: int
    visits: int
    cost: Decimal


class HolidayOut(Schema):
    name: str
    first: date
    days: int


class TimingOut(Schema):
    holidays: list[HolidayOut]
    send_note: str
    missing: str


class CampaignOut(Schema):
    id: int
    name: str
    channel: str
    body: str
    status: str
    send_on: date | None
    sent_at: datetime | None
    estimate: EstimateOut | None
    timing: TimingOut | None = None
    responses: ResponsesOut | None


def _campaign_out(campaign: Campaign) -> dict[str, Any]:
    open_ = campaign.status in ("draft", "scheduled")
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "channel": campaign.channel,
        "body": campaign.body,
        "status": campaign.status,
        "send_on": campaign.send_on,
        "sent_at": campaign.sent_at,
        "estimate": campaign_services.campaign_estimate(campaign) if open_ else None,
        "timing": campaign_timing(
            today=campaign.property.today(), send_on=campaign.send_on
        )
        if open_
        else None,
        "responses": None
        if open_ or campaign.status == "cancelled"
        else campaign_services.campaign_responses(campaign),
    }


@router.get("/campaigns", response=list[CampaignOut], summary="Campaigns")
def campaign_list(
    request: HttpRequest, limit: PageLimit = 50, offset: PageOffset = 0
) -> list[dict[str, Any]]:
    _require(request, MANAGE_CARE)
    prop = staff_property(request_actor(request))
    found = Campaign.objects.filter(property=prop).order_by("-created_at", "-pk")
    return [_campaign_out(c) for c in found[offset : offset + limit]]


@router.post(
    "/campaigns",
    response={201: CampaignOut, 422: ErrorOut},
    summary="Create a campaign; a send date schedules it",
)
def campaign_create(request: HttpRequest, payload: CampaignIn) -> Any:
    _require(request, MANAGE_CARE)
    user = request_actor(request)
    try:
        campaign = campaign_services.campaign_save(
            actor=user,
            prop=staff_property(user),
            data=campaign_services.CampaignInput(**payload.dict()),
        )
    except CareError as error:
        return _error(error)
    return Status(201, _campaign_out(campaign))


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="One campaign")
def campaign_detail(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    _require(request, MANAGE_CARE)
    prop = staff_property(request_actor(request))
    return _campaign_out(get_object_or_404(Campaign, pk=campaign_id, property=prop))


class DeliveryOut(Schema):
    guest_id: int
    name: str
    to: str
    status: str
    parts: int | None
    cost: Money | None
    sent_at: datetime | None
    delivered_at: datetime | None
    error: str
    skipped: str


@router.get(
    "/campaigns/{campaign_id}/deliveries",
    response=list[DeliveryOut],
    summary="The delivery log of a campaign: each recipient's message or why none",
)
def campaign_deliveries(
    request: HttpRequest,
    campaign_id: int,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> list[dict[str, Any]]:
    _require(request, MANAGE_CARE)
    prop = staff_property(request_actor(request))
    campaign = get_object_or_404(Campaign, pk=campaign_id, property=prop)
    found = campaign.recipients.select_related("guest", "message").order_by("pk")
    rows = []
    for recipient in found[offset : offset + limit]:
        message = recipient.message
        rows.append(
            {
                "guest_id": recipient.guest_id,
                "name": recipient.guest.full_name,
                "to": message.to_masked if message else "",
                "status": message.status if message else "skipped",
                "parts": message.parts if message else None,
                "cost": message.cost if message else None,
                "sent_at": message.sent_at if message else None,
                "delivered_at": message.delivered_at if message else None,
                "error": message.error if message else "",
                "skipped": _(recipient.skipped) if recipient.skipped else "",
            }
        )
    return rows


@router.post(
    "/campaigns/{campaign_id}/send",
    response={200: CampaignOut, 409: ErrorOut},
    summary="Send a campaign now, once",
)
def campaign_send_api(request: HttpRequest, campaign_id: int) -> Any:
    _require(request, MANAGE_CARE)
    user = request_actor(request)
    campaign = get_object_or_404(
        Campaign, pk=campaign_id, property=staff_property(user)
    )
    try:
        campaign_services.campaign_send(actor=user, campaign=campaign)
    except CareError as error:
        return _error(error)
    campaign.refresh_from_db()
    return _campaign_out(campaign)


class ConsentOut(Schema):
    channel: str
    purpose: str
    granted: bool
    at: datetime
    source: str


class ConsentStateOut(Schema):
    channel: str
    purpose: str
    granted: bool | None
    at: datetime | None
    source: str


class ConsentsOut(Schema):
    states: list[ConsentStateOut]
    history_count: int
    history: list[ConsentOut]


class ConsentIn(Schema):
    channel: str
    purpose: str
    granted: bool
    source: str = Field(max_length=200)
    at: datetime | None = None


def _visible_guest(request: HttpRequest, guest_id: int) -> Guest:
    _require(request, "guests.view_guest")
    guest = guests_visible(request.user).filter(pk=guest_id).first()
    if guest is None:
        raise Http404
    return guest


def _consents_out(guest: Guest, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """The guest's answer per channel and purpose, and a page of every answer given."""
    history = Consent.objects.filter(guest=guest).order_by("-at", "-id")
    return {
        "states": [row.__dict__ for row in consent_rows(guest)],
        "history_count": history.count(),
        "history": list(
            history.values("channel", "purpose", "granted", "at", "source")[
                offset : offset + limit
            ]
        ),
    }


@router.get(
    "/guests/{guest_id}/consents",
    response=ConsentsOut,
    summary="A guest's latest answer per channel and purpose, and every answer",
)
def consents(
    request: HttpRequest,
    guest_id: int,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> dict[str, Any]:
    guest = _visible_guest(request, guest_id)
    return _consents_out(guest, limit=limit, offset=offset)


@router.post(
    "/guests/{guest_id}/consents",
    response={201: ConsentsOut, 422: ErrorOut},
    summary="Record a consent or an opt-out, with where it came from",
)
def consent_add(request: HttpRequest, guest_id: int, payload: ConsentIn) -> Any:
    guest = _visible_guest(request, guest_id)
    _require(request, "guests.change_guest")
    try:
        consent_record(actor=request_actor(request), guest=guest,
                       channel=payload.channel, purpose=payload.purpose,
                       granted=payload.granted, source=payload.source,
                       at=payload.at)  # fmt: skip
    except GuestError as error:
        return Status(422, {"code": str(error.code), "message": error.message,
                            "field": error.field})  # fmt: skip
    return Status(201, _consents_out(guest))
