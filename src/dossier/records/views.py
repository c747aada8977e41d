"""Archive pages: class tree and code table, catalogue, filing, folders, disposal, loans.

Each view parses, authorizes, calls a service or selector and renders.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.records.access import cases_visible
from dossier.records.disposal import (
    register_approve,
    register_execute,
    register_propose,
)
from dossier.records.errors import RecordsError
from dossier.records.forms import CaseFileForm, LoanForm
from dossier.records.loans import loan_return, loan_sign_out, loans_overdue
from dossier.records.models import DestructionRegister
from dossier.records.selectors import (
    STATUS_CHOICES,
    case_for,
    cases_list,
    class_tree,
    code_table,
    folder_contents,
    folders_of,
    loans_active,
    registers_of,
    scheme_current,
)
from dossier.records.services import CaseDraft, IntakeInput, case_file
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

VIEW = "records.view_case"
PAGE_SIZE = 50


@permission_required(VIEW, raise_exception=True)
def classes(request: HttpRequest) -> HttpResponse:
    version = scheme_current(viewer_property(request.user))
    tree = class_tree(version, viewer=request.user) if version else []
    return render(request, "records/classes.html", {"version": version, "tree": tree})


@permission_required(VIEW, raise_exception=True)
def codes(request: HttpRequest) -> HttpResponse:
    version = scheme_current(viewer_property(request.user))
    rows = code_table(version) if version else []
    return render(request, "records/codes.html", {"version": version, "rows": rows})


@permission_required(VIEW, raise_exception=True)
def case_list(request: HttpRequest) -> HttpResponse:
    class_id = request.GET.get("class", "")
    cases = cases_list(
        viewer_property(request.user),
        viewer=request.user,
        query=request.GET.get("q", "").strip(),
        status=request.GET.get("status", ""),
        class_id=int(class_id) if class_id.isdigit() else None,
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "statuses": STATUS_CHOICES, "q": request.GET.get("q", "")}
    return render(request, "records/case_list.html", context)


@permission_required(VIEW, raise_exception=True)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    context = {
        "case": case,
        "loans": case.loans.select_related("borrower").order_by("-out_at"),
        "holds": case.holds.order_by("-placed_at"),
        "slips": case.slips.order_by("-issued_at"),
        "loan_form": LoanForm(),
    }
    return render(request, "records/case_detail.html", context)


@permission_required("records.file_case", raise_exception=True)
def case_file_view(request: HttpRequest) -> HttpResponse:
    version = scheme_current(viewer_property(request.user))
    form = CaseFileForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = CaseDraft(
            archive_class=data["archive_class"],
            title=data["title"],
            department=data["department"],
            doc_date=data["doc_date"],
            retention_years=int(data["retention"]) if data["retention"] else None,
            summary=data["summary"],
        )
        intake = IntakeInput(
            body_complete=data["body_complete"],
            attachments_complete=data["attachments_complete"],
            parts_removed=data["parts_removed"],
            removal_signed_by_head=data["removal_signed_by_head"],
            removal_signed_by_archivist=data["removal_signed_by_archivist"],
            formalities_complete=data["formalities_complete"],
            unrelated_documents=data["unrelated_documents"],
        )
        try:
            result = case_file(actor=request_actor(request), draft=draft, intake=intake)
        except RecordsError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
        else:
            for warning in result.warnings:
                messages.warning(request, warning)
            if result.filed:
                messages.success(request, f"已归档，档号 {result.case.archive_number}")
            else:
                messages.error(request, "点收未通过，已开具退件单")
            return redirect("records:case_detail", case_id=result.case.pk)
    return render(request, "records/case_form.html", {"form": form, "version": version})


@permission_required(VIEW, raise_exception=True)
def folder_list(request: HttpRequest) -> HttpResponse:
    folders = folders_of(viewer_property(request.user), viewer=request.user)
    return render(request, "records/folder_list.html", {"folders": folders})


@permission_required(VIEW, raise_exception=True)
def folder_detail(request: HttpRequest, folder_id: int) -> HttpResponse:
    folder = (
        folders_of(viewer_property(request.user), viewer=request.user)
        .filter(pk=folder_id)
        .first()
    )
    if folder is None:
        raise Http404
    context = {"folder": folder, "cases": folder_contents(folder)}
    return render(request, "records/folder_detail.html", context)


@permission_required(VIEW, raise_exception=True)
def disposal(request: HttpRequest) -> HttpResponse:
    registers = registers_of(viewer_property(request.user))
    return render(request, "records/disposal.html", {"registers": registers})


@require_POST
@permission_required("records.propose_disposal", raise_exception=True)
def disposal_propose(request: HttpRequest) -> HttpResponse:
    register = register_propose(
        actor=request_actor(request), prop=viewer_property(request.user)
    )
    return redirect("records:register", register_id=register.pk)


def _register(request: HttpRequest, register_id: int) -> DestructionRegister:
    found = registers_of(viewer_property(request.user)).filter(pk=register_id).first()
    if found is None:
        raise Http404
    return found


@permission_required(VIEW, raise_exception=True)
def register_detail(request: HttpRequest, register_id: int) -> HttpResponse:
    register = _register(request, register_id)
    visible = cases_visible(request.user, register.property)
    entries = register.entries.filter(case__in=visible).select_related(
        "case", "case__archive_class"
    )
    context = {"register": register, "entries": entries}
    return render(request, "records/register.html", context)


@require_POST
@permission_required("records.approve_destruction", raise_exception=True)
def register_approve_view(request: HttpRequest, register_id: int) -> HttpResponse:
    register = _register(request, register_id)
    try:
        register_approve(
            actor=request_actor(request),
            register=register,
            reported_to=request.POST.get("reported_to", ""),
        )
    except RecordsError as error:
        messages.error(request, error.message)
    return redirect("records:register", register_id=register.pk)


@require_POST
@permission_required("records.propose_disposal", raise_exception=True)
def register_execute_view(request: HttpRequest, register_id: int) -> HttpResponse:
    register = _register(request, register_id)
    try:
        count = register_execute(actor=request_actor(request), register=register)
    except RecordsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已销毁 {count} 件")
    return redirect("records:register", register_id=register.pk)


@permission_required(VIEW, raise_exception=True)
def loans(request: HttpRequest) -> HttpResponse:
    prop = viewer_property(request.user)
    overdue = loans_overdue(prop).filter(case__in=cases_visible(request.user, prop))
    context = {"active": loans_active(prop, viewer=request.user), "overdue": overdue}
    return render(request, "records/loans.html", context)


@require_POST
@permission_required("records.lend_case", raise_exception=True)
def loan_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    form = LoanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "借出信息不完整")
        return redirect("records:case_detail", case_id=case.pk)
    users = {
        u.get_username(): u
        for u in User.objects.filter(
            username__in=[form.cleaned_data["borrower"], form.cleaned_data["approver"]]
        )
    }
    borrower = users.get(form.cleaned_data["borrower"])
    if borrower is None:
        messages.error(request, "找不到借阅人")
        return redirect("records:case_detail", case_id=case.pk)
    try:
        loan_sign_out(
            actor=request_actor(request),
            case=case,
            borrower=borrower,
            due_date=form.cleaned_data["due_date"],
            approved_by=users.get(form.cleaned_data["approver"]),
            purpose=form.cleaned_data["purpose"],
        )
    except RecordsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已办理借出")
    return redirect("records:case_detail", case_id=case.pk)


@require_POST
@permission_required("records.lend_case", raise_exception=True)
def loan_return_view(request: HttpRequest, loan_id: int) -> HttpResponse:
    loan = get_object_or_404(
        loans_active(viewer_property(request.user), viewer=request.user), pk=loan_id
    )
    complete = request.POST.get("complete", "1") == "1"
    try:
        loan_return(
            actor=request_actor(request),
            loan=loan,
            complete=complete,
            note=request.POST.get("note", "")[:500],
        )
    except RecordsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已归还，原件已点收"))
    return redirect("records:loans")
