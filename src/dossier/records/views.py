"""Archive pages: class tree and code table, catalogue, filing, folders, disposal, loans.

Each view parses, authorizes, calls a service or selector and renders.
"""

from collections.abc import Iterable
from itertools import chain

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.core.exports import Column, Kind, Table, export_format, export_response
from dossier.core.people import staff_name
from dossier.records.access import cases_visible
from dossier.records.disposal import (
    entry_keep_part,
    register_approve,
    register_execute,
    register_propose,
)
from dossier.records.errors import RecordsError
from dossier.records.exports import (
    codes_table,
    folder_contents_table,
    folders_table,
    loans_table,
    register_entries_table,
    registers_table,
)
from dossier.records.forms import (
    LoanForm,
    PartForm,
    SchemeStartForm,
    WithdrawForm,
)
from dossier.records.loans import (
    loan_request,
    loan_request_problems,
    loan_return,
    loans_overdue,
    reminders_for,
)
from dossier.records.models import Case, DestructionRegister, LoanState
from dossier.records.selectors import (
    CATALOGUE_STATUSES,
    STATUS_CHOICES,
    case_for,
    cases_list,
    class_tree,
    code_table,
    folder_contents,
    folders_of,
    loans_active,
    loans_pending,
    register_entries,
    registers_of,
    scheme_current,
)
from dossier.records.views_case import beside_field, case_page, field_error, row_forms
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

VIEW = "records.view_case"
PAGE_SIZE = 50
# The service names the approver ``approved_by``; the sign-out form calls it ``approver``.
LOAN_FIELDS = {"approved_by": "approver"}


def classes_page(
    request: HttpRequest, *, start_form: SchemeStartForm | None = None
) -> HttpResponse:
    """The class tree; a scheme-start form given back shows its errors."""
    version = scheme_current(viewer_property(request.user))
    tree = class_tree(version, viewer=request.user) if version else []
    context = {
        "version": version,
        "tree": tree,
        "start_form": start_form or SchemeStartForm(),
    }
    status = 400 if start_form is not None else 200
    return render(request, "records/classes.html", context, status=status)


@permission_required(VIEW, raise_exception=True)
def classes(request: HttpRequest) -> HttpResponse:
    return classes_page(request)


@permission_required(VIEW, raise_exception=True)
def codes(request: HttpRequest) -> HttpResponseBase:
    version = scheme_current(viewer_property(request.user))
    rows = code_table(version) if version else []
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=codes_table(rows), fmt=fmt, actor=request.user, what="records.codes"
        )
    return render(request, "records/codes.html", {"version": version, "rows": rows})


@permission_required(VIEW, raise_exception=True)
def case_list(request: HttpRequest) -> HttpResponseBase:
    class_id = request.GET.get("class", "")
    cases = cases_list(
        viewer_property(request.user),
        viewer=request.user,
        query=request.GET.get("q", "").strip(),
        status=request.GET.get("status", ""),
        class_id=int(class_id) if class_id.isdigit() else None,
    )
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=_catalogue_table(cases),
            fmt=fmt,
            actor=request.user,
            what="records.catalogue",
            query=request.GET.get("q", "").strip(),
            status=request.GET.get("status", ""),
        )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "statuses": STATUS_CHOICES,
        "q": request.GET.get("q", ""),
        "catalogue_statuses": CATALOGUE_STATUSES,
    }
    return render(request, "records/case_list.html", context)


def _catalogue_table(cases: Iterable[Case]) -> Table:
    """The catalogue as the list shows it, for xlsx and csv."""
    columns = [
        Column(_("档号")),
        Column(_("题名")),
        Column(_("分类")),
        Column(_("经办部门")),
        Column(_("文件日期"), Kind.DATE),
        Column(_("保管期限")),
        Column(_("期满日期"), Kind.DATE),
        Column(_("状态")),
        Column(_("销毁日期"), Kind.DATE),
    ]
    rows = [
        [
            case.archive_number,
            case.title,
            f"{case.archive_class.full_code} {case.archive_class.name}",
            case.department,
            case.doc_date,
            _("%(years)s 年") % {"years": case.retention_years}
            if case.retention_years
            else _("永久"),
            case.due_date,
            case.get_status_display(),
            case.destroyed_at,
        ]
        for case in cases
    ]
    return Table(_("案卷目录"), columns, rows)


@permission_required(VIEW, raise_exception=True)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    return case_page(request, case)


@permission_required(VIEW, raise_exception=True)
def folder_list(request: HttpRequest) -> HttpResponseBase:
    folders = folders_of(viewer_property(request.user), viewer=request.user)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=folders_table(folders),
            fmt=fmt,
            actor=request.user,
            what="records.folders",
        )
    return render(request, "records/folder_list.html", {"folders": folders})


@permission_required(VIEW, raise_exception=True)
def folder_detail(request: HttpRequest, folder_id: int) -> HttpResponseBase:
    folder = (
        folders_of(viewer_property(request.user), viewer=request.user)
        .filter(pk=folder_id)
        .first()
    )
    if folder is None:
        raise Http404
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=folder_contents_table(folder, folder_contents(folder)),
            fmt=fmt,
            actor=request.user,
            what="records.folder",
            folder=folder.pk,
        )
    context = {"folder": folder, "cases": folder_contents(folder)}
    return render(request, "records/folder_detail.html", context)


@permission_required(VIEW, raise_exception=True)
def disposal(request: HttpRequest) -> HttpResponseBase:
    registers = registers_of(viewer_property(request.user))
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=registers_table(
                registers.select_related("proposed_by", "approved_by")
            ),
            fmt=fmt,
            actor=request.user,
            what="records.registers",
        )
    return render(request, "records/disposal.html", {"registers": registers})


@require_POST
@permission_required("records.propose_disposal", raise_exception=True)
def disposal_propose(request: HttpRequest) -> HttpResponse:
    try:
        register = register_propose(
            actor=request_actor(request), prop=viewer_property(request.user)
        )
    except RecordsError as error:
        messages.warning(request, error.message)
        return redirect("records:disposal")
    messages.success(
        request,
        _("已编制销毁清册第 %(number)s 号，请呈总经理批准") % {"number": register.pk},
    )
    return redirect("records:register", register_id=register.pk)


def _register(request: HttpRequest, register_id: int) -> DestructionRegister:
    found = registers_of(viewer_property(request.user)).filter(pk=register_id).first()
    if found is None:
        raise Http404
    return found


def _register_page(
    request: HttpRequest,
    register: DestructionRegister,
    *,
    failed: int | None = None,
    form: PartForm | None = None,
) -> HttpResponse:
    """The register; the part form of entry ``failed`` comes back with its errors."""
    entries = list(register_entries(register, viewer=request.user))
    for entry in entries:
        entry.part_form = (  # type: ignore[attr-defined]
            form
            if form is not None and entry.pk == failed
            else PartForm(
                auto_id=f"part-{entry.pk}-%s",
                initial={
                    "destroyed_part": entry.destroyed_part,
                    "kept_note": entry.kept_note,
                },
            )
        )
        entry.part_failed = form is not None and entry.pk == failed  # type: ignore[attr-defined]
    context = {"register": register, "entries": entries}
    status = 400 if form is not None else 200
    return render(request, "records/register.html", context, status=status)


@permission_required(VIEW, raise_exception=True)
def register_detail(request: HttpRequest, register_id: int) -> HttpResponseBase:
    register = _register(request, register_id)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        entries = register_entries(register, viewer=request.user)
        return export_response(
            table=register_entries_table(register, entries),
            fmt=fmt,
            actor=request.user,
            what="records.register",
            register=register.pk,
        )
    return _register_page(request, register)


@require_POST
@permission_required("records.propose_disposal", raise_exception=True)
def register_entry_part(
    request: HttpRequest, register_id: int, entry_id: int
) -> HttpResponse:
    """Choose what of one case is destroyed and what is kept."""
    register = _register(request, register_id)
    entry = get_object_or_404(
        register_entries(register, viewer=request.user), pk=entry_id
    )
    form = PartForm(request.POST, auto_id=f"part-{entry.pk}-%s")
    if not form.is_valid():
        return _register_page(request, register, failed=entry.pk, form=form)
    try:
        entry_keep_part(
            actor=request_actor(request),
            entry=entry,
            kept_note=form.cleaned_data["kept_note"],
            destroyed_part=form.cleaned_data["destroyed_part"],
        )
    except RecordsError as error:
        if not beside_field(form, error):
            messages.error(request, error.message)
            return redirect("records:register", register_id=register.pk)
        return _register_page(request, register, failed=entry.pk, form=form)
    number = entry.case.archive_number
    messages.success(
        request,
        _("已更新 %(number)s 的销毁范围") % {"number": number}
        if form.cleaned_data["kept_note"]
        else _("%(number)s 将全部销毁") % {"number": number},
    )
    return redirect("records:register", register_id=register.pk)


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
    else:
        messages.success(request, _("清册已批准，可以执行销毁"))
    return redirect("records:register", register_id=register.pk)


@require_POST
@permission_required("records.propose_disposal", raise_exception=True)
def register_execute_view(request: HttpRequest, register_id: int) -> HttpResponse:
    register = _register(request, register_id)
    try:
        count = register_execute(
            actor=request_actor(request),
            register=register,
            confirmation=request.POST.get("confirmation", ""),
            witnesses=request.POST.get("witnesses", ""),
        )
    except RecordsError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("已执行销毁：%(count)s 件，销毁日期已写入案卷目录") % {"count": count},
        )
    return redirect("records:register", register_id=register.pk)


@permission_required(VIEW, raise_exception=True)
def loans(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        every = chain(
            loans_pending(prop, viewer=request.user).select_related("approved_by"),
            loans_active(prop, viewer=request.user).select_related("approved_by"),
        )
        return export_response(
            table=loans_table(every, prop.today()),
            fmt=fmt,
            actor=request.user,
            what="records.loans",
        )
    return loans_page(request)


def loans_page(
    request: HttpRequest, *, failed: int | None = None, form: WithdrawForm | None = None
) -> HttpResponse:
    """The loans; the withdrawal form of loan ``failed`` comes back with its errors."""
    prop = viewer_property(request.user)
    pending = list(loans_pending(prop, viewer=request.user))
    row_forms(pending, "withdraw", WithdrawForm, failed=failed, form=form)
    overdue = loans_overdue(prop).filter(case__in=cases_visible(request.user, prop))
    context = {
        "active": loans_active(prop, viewer=request.user),
        "pending": pending,
        "overdue": overdue,
        "reminders": reminders_for(request_actor(request))[:50],
    }
    status = 400 if form is not None else 200
    return render(request, "records/loans.html", context, status=status)


@require_POST
@permission_required("records.lend_case", raise_exception=True)
def loan_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    form = LoanForm(request.POST)
    form.is_valid()
    # The borrower, approver and date are checked even when another field is wrong,
    # so that every error is shown at once; a field already wrong is not checked again.
    data = form.cleaned_data
    for problem in loan_request_problems(
        actor=request_actor(request),
        case=case,
        borrower=data.get("borrower"),
        due_date=data.get("due_date"),
        approved_by=data.get("approver"),
        borrower_name=data.get("borrower_name", ""),
        borrower_department=data.get("borrower_department", ""),
    ):
        field = LOAN_FIELDS.get(problem.field, problem.field)
        if field not in form.errors:
            form.add_error(field, problem.message)
    if form.errors:
        return case_page(request, case, loan_form=form)
    try:
        loan = loan_request(
            actor=request_actor(request),
            case=case,
            borrower=form.cleaned_data["borrower"],
            due_date=form.cleaned_data["due_date"],
            approved_by=form.cleaned_data["approver"],
            purpose=form.cleaned_data["purpose"],
            approved_on_paper=form.cleaned_data["approved_on_paper"],
            borrower_name=form.cleaned_data["borrower_name"],
            borrower_department=form.cleaned_data["borrower_department"],
        )
    except RecordsError as error:
        field_error(form, error, LOAN_FIELDS)
        return case_page(request, case, loan_form=form)
    if loan.state == LoanState.APPROVED:
        message = _("已记录 %(approver)s 的书面批准，可在“借出”页办理出库")
    else:
        message = _("借出申请已提交，待 %(approver)s 批准后方可出库；原件已为此预留")
    messages.success(request, message % {"approver": staff_name(loan.approved_by)})
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
            note=request.POST.get("note", ""),
        )
    except RecordsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已归还，原件已点收"))
    return redirect("records:loans")
