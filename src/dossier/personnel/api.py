"""Personnel endpoints: the file list, a sign-out's state, outstanding receipts, recording one."""

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from dossier.api.types import PageLimit, PageOffset
from dossier.personnel.errors import PersonnelError, PersonnelErrorCode
from dossier.personnel.models import FileStatus, PersonnelFile
from dossier.personnel.selectors import (
    SignOutView,
    files_list,
    receipts_outstanding,
    sign_out_for,
    sign_out_view,
)
from dossier.personnel.services import receipt_record
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

router = Router(tags=["personnel"])


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionError


class FileOut(Schema):
    id: int
    file_number: str
    employee_name: str
    id_number_masked: str
    department: str
    position: str
    location: str
    box: str
    status: str


def _file_out(file: PersonnelFile) -> dict[str, Any]:
    return {
        "id": file.pk,
        "file_number": file.file_number,
        "employee_name": file.employee_name,
        "id_number_masked": file.id_number_masked,
        "department": file.department,
        "position": file.position,
        "location": file.location,
        "box": file.box,
        "status": file.status,
    }


class ChecklistItemOut(Schema):
    code: str
    label: str
    ticked: bool


class SignOutOut(Schema):
    id: int
    file: FileOut
    state: str
    step: int
    requester_kind: str
    graduate: str
    party_transfer: bool
    register_number: str
    requester_name: str
    requester_id_masked: str
    destination_unit: str
    destination_address: str
    letter_number: str
    requirements: list[str]
    checklist: list[ChecklistItemOut]
    missing: list[str]
    handed_over_on: date | None
    acknowledged_name: str
    receipt_due: date | None
    days_overdue: int
    receipt_received_on: date | None
    receipt_signed_by: str


def _sign_out_out(view: SignOutView) -> dict[str, Any]:
    so = view.sign_out
    return {
        "id": so.pk,
        "file": _file_out(so.file),
        "state": so.state,
        "step": view.step,
        "requester_kind": so.requester_kind,
        "graduate": so.graduate,
        "party_transfer": so.party_transfer,
        "register_number": so.register_number,
        "requester_name": so.requester_name,
        "requester_id_masked": so.requester_id_masked,
        "destination_unit": so.destination_unit,
        "destination_address": so.destination_address,
        "letter_number": so.letter_number,
        "requirements": view.requirements,
        "checklist": [
            {"code": i.code, "label": i.label, "ticked": i.ticked}
            for i in view.checklist
        ],
        "missing": view.missing if so.state == "open" else [],
        "handed_over_on": so.handed_over_on,
        "acknowledged_name": so.acknowledged_name,
        "receipt_due": so.receipt_due,
        "days_overdue": view.days_overdue,
        "receipt_received_on": so.receipt_received_on,
        "receipt_signed_by": so.receipt_signed_by,
    }


class ErrorOut(Schema):
    code: str
    message: str
    reason: str
    field: str
    missing: list[str]


def _error(error: PersonnelError) -> Status[dict[str, Any]]:
    return Status(
        422,
        {
            "code": "invalid",
            "message": error.message,
            "reason": str(error.code),
            "field": error.field,
            "missing": error.missing,
        },
    )


@router.get(
    "/files", response={200: list[FileOut], 422: ErrorOut}, summary="Personnel files"
)
def file_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> Any:
    _require(request, "personnel.view_personnelfile")
    if status and status not in FileStatus.values:
        return _error(
            PersonnelError(
                PersonnelErrorCode.INVALID_VALUE,
                _("状态不正确：%(status)s（可选 %(items)s）")
                % {"status": status, "items": "、".join(FileStatus.values)},
                field="status",
            )
        )
    files = files_list(viewer_property(request.user), query=q, status=status)
    return [_file_out(f) for f in files[offset : offset + limit]]


@router.get(
    "/sign-outs/{sign_out_id}", response=SignOutOut, summary="A sign-out's state"
)
def sign_out_detail(request: HttpRequest, sign_out_id: int) -> dict[str, Any]:
    _require(request, "personnel.view_signout")
    sign_out = sign_out_for(viewer_property(request.user), sign_out_id)
    if sign_out is None:
        raise Http404
    return _sign_out_out(sign_out_view(sign_out))


class OutstandingOut(Schema):
    sign_out: int
    register_number: str
    file_number: str
    employee_name: str
    destination_unit: str
    receipt_due: date | None
    days_overdue: int
    reminded_on: date | None


@router.get(
    "/receipts/outstanding",
    response=list[OutstandingOut],
    summary="Receipts not yet back",
)
def receipts_list(request: HttpRequest) -> list[dict[str, Any]]:
    _require(request, "personnel.view_signout")
    return [
        {
            "sign_out": row.sign_out.pk,
            "register_number": row.sign_out.register_number,
            "file_number": row.sign_out.file.file_number,
            "employee_name": row.sign_out.file.employee_name,
            "destination_unit": row.sign_out.destination_unit,
            "receipt_due": row.sign_out.receipt_due,
            "days_overdue": row.days_overdue,
            "reminded_on": row.reminded_on,
        }
        for row in receipts_outstanding(viewer_property(request.user))
    ]


class ReceiptIn(Schema):
    received_on: date
    signed_by: str
    note: str = ""


@router.post(
    "/sign-outs/{sign_out_id}/receipt",
    response={200: SignOutOut, 422: ErrorOut},
    summary="Record the receiving unit's receipt",
)
def receipt_create(request: HttpRequest, sign_out_id: int, payload: ReceiptIn) -> Any:
    _require(request, "personnel.sign_out_personnelfile")
    sign_out = sign_out_for(viewer_property(request.user), sign_out_id)
    if sign_out is None:
        raise Http404
    try:
        sign_out = receipt_record(
            actor=request_actor(request),
            sign_out=sign_out,
            received_on=payload.received_on,
            signed_by=payload.signed_by,
            note=payload.note,
        )
    except PersonnelError as error:
        return _error(error)
    return _sign_out_out(sign_out_view(sign_out))
