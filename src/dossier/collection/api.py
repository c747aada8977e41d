"""API endpoints of collection: quotas, checklists, quick observations, registrations."""

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from dossier.api.errors import ApiErrorCode
from dossier.api.types import PageLimit, PageOffset
from dossier.collection.checklists import (
    checklist_items,
    checklists_seed,
    quick_observations_add,
)
from dossier.collection.errors import FieldsInvalid
from dossier.collection.models import ChecklistItem, Registration, RegistrationLink
from dossier.collection.quotas import quota_report, quota_set
from dossier.collection.registrations import (
    CardInput,
    registration_confirm,
    registration_reject,
    registration_submit,
    submission_allowed,
)
from dossier.guests.selectors import guests_visible
from dossier.web.selectors import viewer_property

router = Router(tags=["collection"])


def _allowed(request: HttpRequest, perm: str) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm(perm):
        raise PermissionError
    return user


def _invalid(error: FieldsInvalid) -> HttpResponse:
    body = {
        "code": str(ApiErrorCode.INVALID),
        "message": error.message,
        "field": error.field,
        "errors": error.errors,
    }
    return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})


@router.get("/quotas", summary="Who meets the collection quotas in a month")
def quotas(request: HttpRequest, month: date | None = None) -> dict[str, Any]:
    _allowed(request, "collection.view_quota")
    prop = viewer_property(request.user)
    report = quota_report(property=prop, month=month or prop.today())
    return {
        "month": report.month,
        "days": report.days,
        "contact_touchpoints": report.touchpoints,
        "people": [
            {
                "username": p.user.get_username(),
                "name": p.name,
                "department": p.department,
                "rank": p.rank,
                "measure": p.quota.measure,
                "period": p.quota.period,
                "target": p.quota.target,
                "actual": p.actual,
                "required": p.required,
                "days_met": p.days_met,
                "today": p.today,
                "met": p.met,
            }
            for p in report.people
        ],
    }


class QuotaIn(Schema):
    measure: str
    period: str
    target: int = Field(ge=0, le=1000)


@router.put("/quotas/{rank}", summary="Change the quota of a rank")
def quota_change(request: HttpRequest, rank: str, payload: QuotaIn) -> dict[str, Any]:
    actor = _allowed(request, "collection.change_quota")
    quota = quota_set(
        actor=actor, property=viewer_property(request.user), rank=rank, **payload.dict()
    )
    return {
        "rank": quota.rank,
        "measure": quota.measure,
        "period": quota.period,
        "target": quota.target,
    }


def _prompt(item: ChecklistItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "department": item.department,
        "label": item.label,
        "hint": item.hint,
        "kind": item.kind,
        "choices": item.choices,
        "unit": item.unit,
        "preference_item": item.item.code if item.item else None,
    }


@router.get("/checklists", summary="The prompts of what a department observes")
def checklists(request: HttpRequest, department: str) -> list[dict[str, Any]]:
    _allowed(request, "guests.add_observation")
    prop = viewer_property(request.user)
    if not ChecklistItem.objects.filter(property=prop).exists():
        checklists_seed(property=prop)
    return [_prompt(item) for item in checklist_items(prop, department)]


class QuickIn(Schema):
    guest_id: int
    department: str
    values: dict[int, str] = {}
    note: str = Field("", max_length=2000)
    touchpoint: str = Field("", max_length=60)


@router.post(
    "/observations",
    summary="File checklist observations of a guest",
    response={201: dict[str, Any]},
)
def observations(request: HttpRequest, payload: QuickIn) -> Any:
    actor = _allowed(request, "guests.add_observation")
    guest = guests_visible(request.user).filter(pk=payload.guest_id).first()
    if guest is None:
        raise Http404
    try:
        filed = quick_observations_add(
            actor=actor,
            guest=guest,
            department=payload.department,
            values=payload.values,
            note=payload.note,
            touchpoint=payload.touchpoint,
        )
    except FieldsInvalid as error:
        return _invalid(error)
    return Status(201, {"observations": [{"id": o.pk, "text": o.text} for o in filed]})


class CardIn(Schema):
    full_name: str = Field("", max_length=100)
    mobile: str = Field("", max_length=40)
    birth_date: str = Field("", max_length=20)
    gender: str = Field("", max_length=1)
    id_number: str = Field("", max_length=40)
    company: str = Field("", max_length=200)
    title: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    preferences: str = Field("", max_length=1000)
    marketing_channels: list[str] = []


def _registration(r: Registration) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "status": r.status,
        "full_name": r.full_name,
        "mobile": r.mobile,
        "birth_date": r.birth_date,
        "id_number_masked": r.id_number_masked,
        "marketing_channels": r.marketing_channels,
        "guest_id": r.guest_id,
    }


@router.post(
    "/registrations",
    summary="A card filled in at the desk",
    response={201: dict[str, Any]},
)
def registration_new(request: HttpRequest, kind: str, payload: CardIn) -> Any:
    actor = _allowed(request, "collection.confirm_registration")
    try:
        found = registration_submit(
            property=viewer_property(request.user),
            kind=kind,
            data=CardInput(**payload.dict()),
            actor=actor,
        )
    except FieldsInvalid as error:
        return _invalid(error)
    return Status(201, _registration(found))


@router.post(
    "/public/{token}",
    auth=None,
    summary="A card the guest fills in through a public link (no login)",
    response={201: dict[str, Any]},
)
def registration_public(request: HttpRequest, token: str, payload: CardIn) -> Any:
    link = (
        RegistrationLink.objects.filter(token=token).select_related("property").first()
    )
    if link is None or not link.is_open():
        raise Http404
    if not submission_allowed(request.META.get("REMOTE_ADDR", ""), link):
        body = {
            "code": str(ApiErrorCode.THROTTLED),
            "message": _("提交过于频繁，请稍后再试"),
        }
        return JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
    try:
        registration_submit(
            property=link.property,
            kind=link.kind,
            data=CardInput(**payload.dict()),
            link=link,
        )
    except FieldsInvalid as error:
        return _invalid(error)
    return Status(201, {"status": "pending"})


@router.get("/registrations", summary="Registrations waiting for confirmation")
def registration_list(
    request: HttpRequest,
    status: str = "pending",
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> list[dict[str, Any]]:
    _allowed(request, "collection.confirm_registration")
    rows = Registration.objects.filter(
        property=viewer_property(request.user), status=status
    ).order_by("-submitted_at", "-pk")
    return [_registration(r) for r in rows[offset : offset + limit]]


class ConfirmIn(Schema):
    guest_id: int | None = None


def _own(request: HttpRequest, registration_id: int) -> Registration:
    return get_object_or_404(
        Registration, pk=registration_id, property=viewer_property(request.user)
    )


@router.post(
    "/registrations/{registration_id}/confirm", summary="Make the card a profile"
)
def registration_confirm_api(
    request: HttpRequest, registration_id: int, payload: ConfirmIn
) -> dict[str, Any]:
    actor = _allowed(request, "collection.confirm_registration")
    registration = _own(request, registration_id)
    guest = None
    if payload.guest_id is not None:
        guest = guests_visible(request.user).filter(pk=payload.guest_id).first()
        if guest is None:
            raise Http404
    guest = registration_confirm(actor=actor, registration=registration, guest=guest)
    registration.refresh_from_db()
    return _registration(registration)


@router.post("/registrations/{registration_id}/reject", summary="Set a card aside")
def registration_reject_api(
    request: HttpRequest, registration_id: int
) -> dict[str, Any]:
    actor = _allowed(request, "collection.confirm_registration")
    found = registration_reject(
        actor=actor, registration=_own(request, registration_id)
    )
    return _registration(found)
