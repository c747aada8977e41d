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

from dossier.imports.readers import UnreadableFile
from dossier.records.batch import batch_read
from dossier.records.errors import RecordsError
from dossier.records.forms import BatchForm, CaseFileForm, IntakeForm
from dossier.records.models import Case
from dossier.records.selectors import case_by_number, case_for, scheme_current
from dossier.records.services import (
    CaseDraft,
    FilingResult,
    IntakeInput,
    case_file,
    case_refile,
    cases_file_batch,
    original_return,
)
from dossier.records.views_case import case_page
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
    form = IntakeForm(request.POST, auto_id="intake_%s")
    if not form.is_valid():
        return case_page(request, case, intake_form=form)
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


BATCH_BYTES_MAX = 2 * 1024 * 1024


@permission_required(KEEP, raise_exception=True)
def cases_batch_view(request: HttpRequest) -> HttpResponse:
    """File a list of checked-in cases; each refused row is named, the rest filed."""
    version = scheme_current(viewer_property(request.user))
    form = BatchForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "version": version}
    if request.method != "POST" or not form.is_valid() or version is None:
        return render(request, "records/case_batch.html", context)
    upload = form.cleaned_data["file"]
    try:
        if upload.size > BATCH_BYTES_MAX:
            raise ValueError(_("文件不能超过 2 MB"))
        rows = batch_read(upload.read(), name=upload.name, version=version)
    except UnreadableFile as error:
        form.add_error("file", error.message)
    except ValueError as error:
        form.add_error("file", str(error))
    else:
        result = cases_file_batch(
            actor=request_actor(request),
            items=[(draft, IntakeInput()) for _row, draft in rows.drafts],
        )
        numbers = [row for row, _draft in rows.drafts]
        refused = rows.refused + [
            (numbers[position - 1], message) for position, message in result.refused
        ]
        context.update(filed=result.filed, refused=sorted(refused))
    status = 200 if not form.errors else 400
    return render(request, "records/case_batch.html", context, status=status)
