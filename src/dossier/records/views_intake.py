"""Filing pages: the intake check, refiling a returned case, the original coming back.

Each view parses, authorizes, calls a service and redirects to the case.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.records.errors import RecordsError
from dossier.records.forms import CaseFileForm, IntakeForm
from dossier.records.models import Case
from dossier.records.selectors import case_by_number, case_for, scheme_current
from dossier.records.services import (
    CaseDraft,
    FilingResult,
    IntakeInput,
    case_file,
    case_refile,
    original_return,
)
from dossier.records.views_manage import form_errors
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

KEEP = "records.file_case"


def intake_input(data: dict[str, Any]) -> IntakeInput:
    """The intake check ticked on a filing or refiling form."""
    return IntakeInput(
        body_complete=data["body_complete"],
        attachments_complete=data["attachments_complete"],
        parts_removed=data["parts_removed"],
        removal_signed_by_head=data["removal_signed_by_head"],
        removal_signed_by_archivist=data["removal_signed_by_archivist"],
        formalities_complete=data["formalities_complete"],
        unrelated_documents=data["unrelated_documents"],
    )


def filing_messages(request: HttpRequest, result: FilingResult) -> None:
    for warning in result.warnings:
        messages.warning(request, warning)
    if result.filed:
        messages.success(
            request,
            _("已归档，档号 %(number)s") % {"number": result.case.archive_number},
        )
    else:
        messages.error(request, _("点收未通过，已开具退件单，退回经办部门"))


def _draft(request: HttpRequest, form: CaseFileForm) -> CaseDraft | None:
    """The draft the form describes; None after naming an unknown earlier case."""
    data = form.cleaned_data
    earlier = None
    if data["belongs_to"].strip():
        earlier = case_by_number(
            viewer_property(request.user), data["belongs_to"], viewer=request.user
        )
        if earlier is None:
            form.add_error(
                "belongs_to",
                _("没有档号为 %(number)s 的在档案件")
                % {"number": data["belongs_to"].strip()},
            )
            return None
    return CaseDraft(
        archive_class=data["archive_class"],
        title=data["title"],
        department=data["department"],
        doc_date=data["doc_date"],
        retention_years=int(data["retention"]) if data["retention"] else None,
        retention_item=data["retention_item"],
        summary=data["summary"],
        item=data["item"],
        belongs_to=earlier,
        original_holder=data["original_holder"].strip(),
        original_approved_by=data["original_approver"],
    )


# The service names the approver ``original_approved_by``; the form ``original_approver``.
FILING_FIELDS = {"original_approved_by": "original_approver"}


@permission_required("records.file_case", raise_exception=True)
def case_file_view(request: HttpRequest) -> HttpResponse:
    version = scheme_current(viewer_property(request.user))
    form = CaseFileForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        draft = _draft(request, form)
        if draft is not None:
            try:
                result = case_file(
                    actor=request_actor(request),
                    draft=draft,
                    intake=intake_input(form.cleaned_data),
                )
            except RecordsError as error:
                name = FILING_FIELDS.get(error.field, error.field)
                form.add_error(name if name in form.fields else None, error.message)
            else:
                filing_messages(request, result)
                return redirect("records:case_detail", case_id=result.case.pk)
    return render(request, "records/case_form.html", {"form": form, "version": version})


def _case(request: HttpRequest, case_id: int) -> Case:
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    return case


@require_POST
@permission_required(KEEP, raise_exception=True)
def case_refile_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Check a returned case in again once its department has put it right."""
    case = _case(request, case_id)
    form = IntakeForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("records:case_detail", case_id=case.pk)
    try:
        result = case_refile(
            actor=request_actor(request),
            case=case,
            intake=intake_input(form.cleaned_data),
        )
    except RecordsError as error:
        messages.error(request, error.message)
    else:
        filing_messages(request, result)
    return redirect("records:case_detail", case_id=case.pk)


@require_POST
@permission_required(KEEP, raise_exception=True)
def original_return_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """The department brings the original back; the copy (影本) goes back to it."""
    case = _case(request, case_id)
    try:
        original_return(actor=request_actor(request), case=case)
    except RecordsError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(holder)s 已交回原稿，影本退还") % {"holder": case.original_holder},
        )
    return redirect("records:case_detail", case_id=case.pk)
