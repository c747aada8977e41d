"""Archive upkeep endpoints: trash, holds, disposal, retention and scheme revisions.

Mounted on the records router; every endpoint checks the same permission as its page
and calls the same service.
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from dossier.api.types import PageLimit, PageOffset
from dossier.records.access import Viewer
from dossier.records.disposal import (
    entry_keep_part,
    register_approve,
    register_execute,
    register_propose,
)
from dossier.records.errors import RecordsError
from dossier.records.models import Case, DestructionRegister, Hold
from dossier.records.scheme import ClassChange, scheme_revise
from dossier.records.selectors import (
    case_for,
    holds_active,
    mapping_table,
    register_entries,
    registers_of,
    retention_item_for,
    scheme_current,
)
from dossier.records.services import (
    case_restore,
    case_trash,
    hold_place,
    hold_release,
    retention_item_set,
)
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

router = Router(tags=["records"])


class ErrorOut(Schema):
    code: str
    message: str
    reason: str
    field: str


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionError


def _error(error: RecordsError) -> Status[dict[str, str]]:
    body = {"code": "invalid", "message": error.message, "reason": str(error.code)}
    return Status(422, {**body, "field": error.field})


def _case(request: HttpRequest, case_id: int) -> Case:
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    return case


class CaseStateOut(Schema):
    id: int
    archive_number: str
    status: str


def _state(case: Case) -> dict[str, Any]:
    return {"id": case.pk, "archive_number": case.archive_number, "status": case.status}


class TrashIn(Schema):
    reason: Annotated[str, Field(max_length=300)]


@router.post(
    "/cases/{case_id}/trash",
    response={200: CaseStateOut, 422: ErrorOut},
    summary="Move a case to the trash (it keeps its number)",
)
def case_trash_api(request: HttpRequest, case_id: int, payload: TrashIn) -> Any:
    _require(request, "records.file_case")
    try:
        case = case_trash(
            actor=request_actor(request),
            case=_case(request, case_id),
            reason=payload.reason.strip(),
        )
    except RecordsError as error:
        return _error(error)
    return Status(200, _state(case))


@router.post(
    "/cases/{case_id}/restore",
    response={200: CaseStateOut, 422: ErrorOut},
    summary="Restore a case from the trash with its number",
)
def case_restore_api(request: HttpRequest, case_id: int) -> Any:
    _require(request, "records.file_case")
    try:
        case = case_restore(actor=request_actor(request), case=_case(request, case_id))
    except RecordsError as error:
        return _error(error)
    return Status(200, _state(case))


class HoldIn(Schema):
    authority: Annotated[str, Field(max_length=200)]
    reason: Annotated[str, Field(max_length=2000)]


class HoldOut(Schema):
    id: int
    case_id: int
    archive_number: str
    authority: str
    reason: str
    placed_at: datetime
    released_at: datetime | None
    release_reason: str


def _hold_out(hold: Hold) -> dict[str, Any]:
    return {
        "id": hold.pk,
        "case_id": hold.case_id,
        "archive_number": hold.case.archive_number,
        "authority": hold.authority,
        "reason": hold.reason,
        "placed_at": hold.placed_at,
        "released_at": hold.released_at,
        "release_reason": hold.release_reason,
    }


@router.get("/holds", response=list[HoldOut], summary="Holds in force")
def holds_api(
    request: HttpRequest, limit: PageLimit = 50, offset: PageOffset = 0
) -> list[dict[str, Any]]:
    _require(request, "records.view_case")
    holds = holds_active(viewer_property(request.user), viewer=request.user)
    return [_hold_out(hold) for hold in holds[offset : offset + limit]]


@router.post(
    "/cases/{case_id}/holds",
    response={201: HoldOut, 422: ErrorOut},
    summary="Place a hold (保全) with its authority and reason",
)
def hold_place_api(request: HttpRequest, case_id: int, payload: HoldIn) -> Any:
    _require(request, "records.place_hold")
    try:
        hold = hold_place(
            actor=request_actor(request),
            case=_case(request, case_id),
            authority=payload.authority,
            reason=payload.reason,
        )
    except RecordsError as error:
        return _error(error)
    return Status(201, _hold_out(hold))


class ReasonIn(Schema):
    reason: Annotated[str, Field(max_length=2000)]


@router.post(
    "/holds/{hold_id}/release",
    response={200: HoldOut, 422: ErrorOut},
    summary="Release a hold, with the reason",
)
def hold_release_api(request: HttpRequest, hold_id: int, payload: ReasonIn) -> Any:
    _require(request, "records.place_hold")
    hold = (
        holds_active(viewer_property(request.user), viewer=request.user)
        .filter(pk=hold_id)
        .first()
    )
    if hold is None:
        raise Http404
    try:
        hold = hold_release(
            actor=request_actor(request), hold=hold, reason=payload.reason
        )
    except RecordsError as error:
        return _error(error)
    return Status(200, _hold_out(hold))


class EntryOut(Schema):
    id: int
    case_id: int
    archive_number: str
    title: str
    excluded_reason: str
    destroyed_part: str
    kept_note: str
    destroyed_at: date | None


class RegisterOut(Schema):
    id: int
    as_of: date
    status: str
    reported_to: str
    entries: list[EntryOut]


def _register_out(register: DestructionRegister, viewer: Viewer) -> dict[str, Any]:
    entries = register_entries(register, viewer=viewer)
    return {
        "id": register.pk,
        "as_of": register.as_of,
        "status": register.status,
        "reported_to": register.reported_to,
        "entries": [
            {
                "id": entry.pk,
                "case_id": entry.case_id,
                "archive_number": entry.case.archive_number,
                "title": entry.case.title,
                "excluded_reason": entry.excluded_reason,
                "destroyed_part": entry.destroyed_part,
                "kept_note": entry.kept_note,
                "destroyed_at": entry.destroyed_at,
            }
            for entry in entries
        ],
    }


def _register(request: HttpRequest, register_id: int) -> DestructionRegister:
    found = registers_of(viewer_property(request.user)).filter(pk=register_id).first()
    if found is None:
        raise Http404
    return found


class ProposeIn(Schema):
    as_of: date | None = None


@router.post(
    "/registers",
    response={201: RegisterOut, 422: ErrorOut},
    summary="Draw up a destruction register of the cases due",
)
def register_propose_api(request: HttpRequest, payload: ProposeIn) -> Any:
    _require(request, "records.propose_disposal")
    try:
        register = register_propose(
            actor=request_actor(request),
            prop=viewer_property(request.user),
            as_of=payload.as_of,
        )
    except RecordsError as error:
        return _error(error)
    return Status(201, _register_out(register, request.user))


@router.get("/registers/{register_id}", response=RegisterOut, summary="One register")
def register_api(request: HttpRequest, register_id: int) -> dict[str, Any]:
    _require(request, "records.view_case")
    return _register_out(_register(request, register_id), request.user)


class PartIn(Schema):
    destroyed_part: str = ""
    kept_note: str = ""


@router.post(
    "/registers/{register_id}/entries/{entry_id}/part",
    response={200: RegisterOut, 422: ErrorOut},
    summary="Destroy a case in part: what goes, what is kept",
)
def register_part_api(
    request: HttpRequest, register_id: int, entry_id: int, payload: PartIn
) -> Any:
    _require(request, "records.propose_disposal")
    register = _register(request, register_id)
    entry = register_entries(register, viewer=request.user).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    try:
        entry_keep_part(
            actor=request_actor(request),
            entry=entry,
            kept_note=payload.kept_note,
            destroyed_part=payload.destroyed_part,
        )
    except RecordsError as error:
        return _error(error)
    return Status(200, _register_out(register, request.user))


class ApproveIn(Schema):
    reported_to: Annotated[str, Field(max_length=200)] = ""


@router.post(
    "/registers/{register_id}/approve",
    response={200: RegisterOut, 422: ErrorOut},
    summary="The general manager approves a register",
)
def register_approve_api(
    request: HttpRequest, register_id: int, payload: ApproveIn
) -> Any:
    _require(request, "records.approve_destruction")
    try:
        register = register_approve(
            actor=request_actor(request),
            register=_register(request, register_id),
            reported_to=payload.reported_to,
        )
    except RecordsError as error:
        return _error(error)
    return Status(200, _register_out(register, request.user))


class ExecutedOut(Schema):
    destroyed: int
    destruction_register: RegisterOut


class ExecuteIn(Schema):
    confirmation: Annotated[str, Field(max_length=20)]
    witnesses: Annotated[str, Field(max_length=1000)]


@router.post(
    "/registers/{register_id}/execute",
    response={200: ExecutedOut, 422: ErrorOut},
    summary="Carry out an approved register, confirmed by its number, with witnesses",
)
def register_execute_api(
    request: HttpRequest, register_id: int, payload: ExecuteIn
) -> Any:
    _require(request, "records.propose_disposal")
    register = _register(request, register_id)
    try:
        count = register_execute(
            actor=request_actor(request),
            register=register,
            confirmation=payload.confirmation,
            witnesses=payload.witnesses,
        )
    except RecordsError as error:
        return _error(error)
    register.refresh_from_db()
    return Status(
        200,
        {
            "destroyed": count,
            "destruction_register": _register_out(register, request.user),
        },
    )


class YearsIn(Schema):
    years: int | None


class RetentionItemOut(Schema):
    id: int
    record_type: str
    years: int | None
    warning: str


@router.post(
    "/retention/items/{item_id}",
    response={200: RetentionItemOut, 422: ErrorOut},
    summary="Change a retention period; the warning says if it is below the law",
)
def retention_item_api(request: HttpRequest, item_id: int, payload: YearsIn) -> Any:
    _require(request, "records.file_case")
    item = retention_item_for(viewer_property(request.user), item_id)
    if item is None:
        raise Http404
    try:
        item, warning = retention_item_set(
            actor=request_actor(request), item=item, years=payload.years
        )
    except RecordsError as error:
        return _error(error)
    body = {
        "id": item.pk,
        "record_type": item.record_type,
        "years": item.years,
        "warning": warning,
    }
    return Status(200, body)


class ChangeIn(Schema):
    kind: str
    full_code: str = ""
    name: str = ""
    code: str = ""
    note: str = ""


class RevisionIn(Schema):
    name: Annotated[str, Field(max_length=200)]
    changes: list[ChangeIn]


class MappingOut(Schema):
    old_code: str | None
    new_code: str | None
    kind: str
    note: str


class RevisionOut(Schema):
    version: int
    name: str
    mappings: list[MappingOut]


@router.post(
    "/scheme/revisions",
    response={201: RevisionOut, 422: ErrorOut},
    summary="Revise the scheme: a new version and its old→new table",
)
def scheme_revise_api(request: HttpRequest, payload: RevisionIn) -> Any:
    _require(request, "records.file_case")
    current = scheme_current(viewer_property(request.user))
    if current is None:
        raise Http404
    if not payload.changes or not payload.name.strip():
        message = "修订须写明新版本名称和至少一项修订"
        field = "name" if not payload.name.strip() else "changes"
        body = {"code": "invalid", "message": message, "reason": "invalid_value"}
        return Status(422, {**body, "field": field})
    try:
        new = scheme_revise(
            actor=request_actor(request),
            version=current,
            name=payload.name.strip(),
            changes=[ClassChange(**change.model_dump()) for change in payload.changes],
        )
    except RecordsError as error:
        return _error(error)
    mappings = [
        {
            "old_code": row.old_class.full_code if row.old_class else None,
            "new_code": row.new_class.full_code if row.new_class else None,
            "kind": row.kind,
            "note": row.note,
        }
        for row in mapping_table(new)
    ]
    return Status(201, {"version": new.number, "name": new.name, "mappings": mappings})
