"""Document-archive endpoints: the catalogue, a case, filing and loans."""

from datetime import date
from typing import Annotated, Any

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from dossier.api.types import PageLimit, PageOffset
from dossier.records import printing
from dossier.records.api_upkeep import router as upkeep_router
from dossier.records.errors import RecordsError
from dossier.records.loans import loan_request, loan_return
from dossier.records.models import ArchiveClass, Case, Loan
from dossier.records.selectors import (
    case_for,
    cases_list,
    loans_active,
    retention_item_for,
    scheme_current,
)
from dossier.records.services import CaseDraft, FilingResult, IntakeInput, case_file
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

router = Router(tags=["records"])


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionError


class CaseOut(Schema):
    id: int
    archive_number: str
    title: str
    archive_class: str
    department: str
    doc_date: date
    retention_years: int | None
    due_date: date | None
    status: str
    destroyed_at: date | None
    destruction_note: str
    belongs_to: int | None
    copy_only: bool
    original_holder: str


def _case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "archive_number": case.archive_number,
        "title": case.title,
        "archive_class": case.archive_class.full_code,
        "department": case.department,
        "doc_date": case.doc_date,
        "retention_years": case.retention_years,
        "due_date": case.due_date,
        "status": case.status,
        "destroyed_at": case.destroyed_at,
        "destruction_note": case.destruction_note,
        "belongs_to": case.belongs_to_id,
        "copy_only": case.copy_only,
        "original_holder": case.original_holder,
    }


class ErrorOut(Schema):
    code: str
    message: str
    reason: str
    field: str


class FilingOut(Schema):
    case: CaseOut
    returned: list[str]
    warnings: list[str]


class LoanOut(Schema):
    id: int
    due_date: date
    state: str


def loan_out(loan: Loan) -> dict[str, Any]:
    return {"id": loan.pk, "due_date": loan.due_date, "state": loan.state}


def _error(error: RecordsError) -> Status[dict[str, str]]:
    body = {"code": "invalid", "message": error.message, "reason": str(error.code)}
    return Status(422, {**body, "field": error.field})


@router.get("/cases", response=list[CaseOut], summary="The catalogue")
def case_list(
    request: HttpRequest,
    q: str = "",
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> list[dict[str, Any]]:
    _require(request, "records.view_case")
    cases = cases_list(viewer_property(request.user), viewer=request.user, query=q)
    return [_case_out(c) for c in cases[offset : offset + limit]]


@router.get("/cases/{case_id}", response=CaseOut, summary="One case")
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    _require(request, "records.view_case")
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    return _case_out(case)


class IntakeIn(Schema):
    body_complete: bool = True
    attachments_complete: bool = True
    formalities_complete: bool = True
    parts_removed: bool = False
    removal_signed_by_head: bool = False
    removal_signed_by_archivist: bool = False
    unrelated_documents: str = ""

    def intake(self) -> IntakeInput:
        return IntakeInput(
            body_complete=self.body_complete,
            attachments_complete=self.attachments_complete,
            parts_removed=self.parts_removed,
            removal_signed_by_head=self.removal_signed_by_head,
            removal_signed_by_archivist=self.removal_signed_by_archivist,
            formalities_complete=self.formalities_complete,
            unrelated_documents=self.unrelated_documents,
        )


class CaseIn(IntakeIn):
    class_code: str
    title: str
    department: str
    doc_date: date | None = None
    retention_years: int | None = None
    # A line of one of the property's retention schedules; it decides the period.
    retention_item: int | None = None
    summary: str = ""
    item: int | None = None
    belongs_to: int | None = None
    # The department that keeps the original (the archive keeps a copy) and the
    # username of the head who agreed.
    original_holder: Annotated[str, Field(max_length=100)] = ""
    original_approved_by: str = ""


class Unknown(Exception):
    """A class, earlier case or approver named in a payload does not exist here."""


def case_draft(request: HttpRequest, payload: CaseIn) -> CaseDraft:
    """The draft ``payload`` describes, with its class and earlier case looked up."""
    prop = viewer_property(request.user)
    version = scheme_current(prop)
    klass = (
        ArchiveClass.objects.filter(
            version=version, full_code=payload.class_code
        ).first()
        if version
        else None
    )
    if klass is None:
        raise Unknown(_("没有类别 %(code)s") % {"code": payload.class_code})
    earlier = (
        case_for(prop, payload.belongs_to, viewer=request.user)
        if payload.belongs_to
        else None
    )
    if payload.belongs_to and earlier is None:
        raise Unknown(_("没有编号为 %(id)s 的前案") % {"id": payload.belongs_to})
    line = (
        retention_item_for(prop, payload.retention_item)
        if payload.retention_item
        else None
    )
    if payload.retention_item and line is None:
        raise Unknown(
            _("没有编号为 %(id)s 的保管期限条目") % {"id": payload.retention_item}
        )
    approver = None
    if payload.original_approved_by:
        approver = User.objects.filter(
            username=payload.original_approved_by, is_active=True
        ).first()
    return CaseDraft(
        archive_class=klass,
        title=payload.title,
        department=payload.department,
        doc_date=payload.doc_date,
        retention_years=payload.retention_years,
        retention_item=line,
        summary=payload.summary,
        item=payload.item,
        belongs_to=earlier,
        original_holder=payload.original_holder.strip(),
        original_approved_by=approver,
    )


def filing_out(result: FilingResult) -> dict[str, Any]:
    return {
        "case": _case_out(result.case),
        "returned": result.slip.reasons if result.slip else [],
        "warnings": result.warnings,
    }


@router.post(
    "/cases",
    response={200: FilingOut, 201: FilingOut, 422: ErrorOut},
    summary="File a case (intake check and number)",
)
def case_create(request: HttpRequest, payload: CaseIn) -> Any:
    _require(request, "records.file_case")
    try:
        draft = case_draft(request, payload)
    except Unknown as unknown:
        raise Http404 from unknown
    try:
        result = case_file(
            actor=request_actor(request), draft=draft, intake=payload.intake()
        )
    except RecordsError as error:
        return _error(error)
    return Status(201 if result.filed else 200, filing_out(result))


class LoanIn(Schema):
    borrower: str = ""
    borrower_name: str = ""
    borrower_department: str = ""
    approved_by: str
    due_date: date
    purpose: str = ""
    approved_on_paper: bool = False


@router.post(
    "/cases/{case_id}/loans",
    response={201: LoanOut, 422: ErrorOut},
    summary="Request the loan of the original (approved later, or on paper)",
)
def loan_create(request: HttpRequest, case_id: int, payload: LoanIn) -> Any:
    _require(request, "records.lend_case")
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    borrower = None
    if payload.borrower:
        borrower = User.objects.filter(username=payload.borrower).first()
        if borrower is None:
            raise Http404
    try:
        loan = loan_request(
            actor=request_actor(request),
            case=case,
            borrower=borrower,
            due_date=payload.due_date,
            approved_by=User.objects.filter(username=payload.approved_by).first(),
            purpose=payload.purpose,
            approved_on_paper=payload.approved_on_paper,
            borrower_name=payload.borrower_name,
            borrower_department=payload.borrower_department,
        )
    except RecordsError as error:
        return _error(error)
    return Status(201, loan_out(loan))


class ReturnIn(Schema):
    complete: bool = True
    note: Annotated[str, Field(max_length=500)] = ""


@router.post(
    "/loans/{loan_id}/return",
    response={200: LoanOut, 422: ErrorOut},
    summary="Check the original back in",
)
def loan_return_api(request: HttpRequest, loan_id: int, payload: ReturnIn) -> Any:
    _require(request, "records.lend_case")
    loan = (
        loans_active(viewer_property(request.user), viewer=request.user)
        .filter(pk=loan_id)
        .first()
    )
    if loan is None:
        raise Http404
    try:
        loan = loan_return(
            actor=request_actor(request),
            loan=loan,
            complete=payload.complete,
            note=payload.note,
        )
    except RecordsError as error:
        return _error(error)
    return Status(200, loan_out(loan))


def _pdf(document: printing.Document | None) -> HttpResponse:
    if document is None:
        raise Http404
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{document.ascii_name}"; '
        f"filename*=UTF-8''{document.quoted_name}"
    )
    return response


@router.get("/print/catalogue.pdf", summary="The catalogue (案卷目录) as PDF")
def catalogue_pdf(request: HttpRequest, q: str = "", status: str = "") -> HttpResponse:
    _require(request, "records.view_case")
    return _pdf(
        printing.catalogue(
            viewer_property(request.user), viewer=request.user, query=q, status=status
        )
    )


@router.get(
    "/print/folders/{folder_id}/contents.pdf",
    summary="A folder's table of contents (目次表) as PDF",
)
def folder_pdf(request: HttpRequest, folder_id: int) -> HttpResponse:
    _require(request, "records.view_case")
    return _pdf(
        printing.folder_contents(
            viewer_property(request.user), folder_id, viewer=request.user
        )
    )


@router.get("/print/spines.pdf", summary="Spine labels (背脊标签), eight per A4 sheet")
def spines_pdf(request: HttpRequest, folder: str = "") -> HttpResponse:
    _require(request, "records.view_case")
    ids = [int(v) for v in folder.split(",") if v.strip().isdigit()]
    return _pdf(
        printing.spines(viewer_property(request.user), ids or None, viewer=request.user)
    )


@router.get("/print/codes.pdf", summary="The code table of the current scheme as PDF")
def codes_pdf(request: HttpRequest) -> HttpResponse:
    _require(request, "records.view_case")
    return _pdf(printing.codes(viewer_property(request.user)))


@router.get(
    "/print/registers/{register_id}.pdf",
    summary="A destruction register (销毁清册) with signature fields as PDF",
)
def register_pdf(request: HttpRequest, register_id: int) -> HttpResponse:
    _require(request, "records.view_case")
    return _pdf(
        printing.register(
            viewer_property(request.user), register_id, viewer=request.user
        )
    )


@router.get(
    "/print/cases/{case_id}/slips/{slip_id}.pdf",
    summary="A return slip (退件单) to the case's department as PDF",
)
def return_slip_pdf(request: HttpRequest, case_id: int, slip_id: int) -> HttpResponse:
    _require(request, "records.view_case")
    return _pdf(
        printing.return_slip(
            viewer_property(request.user), case_id, slip_id, viewer=request.user
        )
    )


router.add_router("", upkeep_router)
from dossier.records.api_files import router as files_router  # noqa: E402

router.add_router("", files_router)
from dossier.records.api_intake import router as intake_router  # noqa: E402

router.add_router("", intake_router)
from dossier.records.api_numbering import router as numbering_router  # noqa: E402

router.add_router("", numbering_router)
from dossier.records.api_loans import router as loans_router  # noqa: E402

router.add_router("", loans_router)
