"""Personnel pages: files, the guided sign-out case, the register, receipts.

Each view parses, authorises, calls a service or selector and renders. The steps of a
case post with htmx and get the case panel back; without JavaScript they redirect.
"""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.core.exports import export_format, export_response
from dossier.personnel import rules
from dossier.personnel.errors import PersonnelError, PersonnelErrorCode
from dossier.personnel.exports import files_table, receipts_table, register_table
from dossier.personnel.forms import (
    CancelForm,
    DetailsForm,
    FileForm,
    HandoverForm,
    PolicyForm,
    ReceiptForm,
    SituationForm,
)
from dossier.personnel.models import FileStatus, PersonnelFile, SignOut, SignOutState
from dossier.personnel.selectors import (
    file_for,
    files_list,
    receipts_outstanding,
    receipts_overdue_count,
    register_entries,
    register_years,
    sign_out_for,
    sign_out_view,
    sign_outs_in_progress,
    sign_outs_of,
)
from dossier.personnel.services import (
    personnel_file_create,
    personnel_file_update,
    personnel_id_reveal,
    receipt_days,
    receipt_policy_set,
    receipt_record,
    sign_out_cancel,
    sign_out_check,
    sign_out_hand_over,
    sign_out_open,
    situation_of,
)
from dossier.web.http import HtmxHttpRequest, request_actor
from dossier.web.selectors import viewer_property

VIEW = "personnel.view_personnelfile"
VIEW_CASES = "personnel.view_signout"
SIGN_OUT = "personnel.sign_out_personnelfile"
PAGE_SIZE = 50


def _file(request: HttpRequest, file_id: int) -> PersonnelFile:
    file = file_for(viewer_property(request.user), file_id)
    if file is None:
        raise Http404
    return file


def _case(request: HttpRequest, sign_out_id: int) -> SignOut:
    sign_out = sign_out_for(viewer_property(request.user), sign_out_id)
    if sign_out is None:
        raise Http404
    return sign_out


def _form_error(form: Any, error: PersonnelError) -> None:
    """Put a refusal on the field it names, or on the form as a whole."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _step_refused(request: HttpRequest, form: Any, error: PersonnelError) -> None:
    """A step refused because the case moved on is said above the case, not in a form."""
    if error.code == PersonnelErrorCode.WRONG_STATUS:
        messages.error(request, error.message)
    else:
        _form_error(form, error)


# Files ------------------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
def file_list(request: HttpRequest) -> HttpResponseBase:
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in FileStatus.values:
        status = ""
    prop = viewer_property(request.user)
    files = files_list(prop, query=query, status=status)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=files_table(files.iterator(chunk_size=2000)),
            fmt=fmt,
            actor=request.user,
            what="personnel.files",
            query=query,
            status=status,
        )
    in_progress = sign_outs_in_progress(prop)
    page = Paginator(files, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "overdue": receipts_overdue_count(prop),
        "in_progress": in_progress,
        "q": query,
        "status": status,
        "statuses": FileStatus.choices,
    }
    return render(request, "personnel/file_list.html", context)


@permission_required("personnel.add_personnelfile", raise_exception=True)
def file_create(request: HttpRequest) -> HttpResponse:
    form = FileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            file = personnel_file_create(
                actor=request_actor(request),
                property=viewer_property(request.user),
                data=form.to_input(),
            )
        except PersonnelError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("人事档案已入库"))
            return redirect("personnel:file_detail", file_id=file.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "file": None}
    return render(request, "personnel/file_form.html", context, status=status)


@permission_required("personnel.change_personnelfile", raise_exception=True)
def file_edit(request: HttpRequest, file_id: int) -> HttpResponse:
    file = _file(request, file_id)
    initial = {
        name: getattr(file, name)
        for name in FileForm.base_fields
        if name != "id_number"
    }
    form = FileForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            personnel_file_update(
                actor=request_actor(request), file=file, data=form.to_input()
            )
        except PersonnelError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("personnel:file_detail", file_id=file.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "file": file}
    return render(request, "personnel/file_form.html", context, status=status)


@permission_required(VIEW, raise_exception=True)
def file_detail(request: HttpRequest, file_id: int) -> HttpResponse:
    file = _file(request, file_id)
    context = {"file": file, "sign_outs": sign_outs_of(file)}
    return render(request, "personnel/file_detail.html", context)


@require_POST
@permission_required("personnel.view_full_id_number", raise_exception=True)
def file_reveal(request: HtmxHttpRequest, file_id: int) -> HttpResponse:
    file = _file(request, file_id)
    number = personnel_id_reveal(actor=request_actor(request), file=file)
    if request.htmx:
        return render(
            request, "personnel/_id_number.html", {"file": file, "number": number}
        )
    context = {"file": file, "sign_outs": sign_outs_of(file), "number": number}
    return render(request, "personnel/file_detail.html", context)


# The sign-out case ----------------------------------------------------------------


@permission_required(SIGN_OUT, raise_exception=True)
def sign_out_start(request: HttpRequest, file_id: int) -> HttpResponse:
    file = _file(request, file_id)
    suggested = rules.graduate_path(file.graduated_on, file.property.today())
    form = SituationForm(
        request.POST or None,
        initial={"requester_kind": "self", "graduate": str(suggested)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            sign_out = sign_out_open(
                actor=request_actor(request),
                file=file,
                requester_kind=form.cleaned_data["requester_kind"],
                graduate=form.cleaned_data["graduate"],
                party_transfer=form.cleaned_data["party_transfer"],
            )
        except PersonnelError as error:
            _form_error(form, error)
        else:
            return redirect("personnel:sign_out", sign_out_id=sign_out.pk)
    context = {"file": file, "form": form, "suggested": suggested}
    return render(request, "personnel/sign_out_start.html", context)


def _details_form(sign_out: SignOut, data: Any = None) -> DetailsForm:
    initial = {
        "requester_name": sign_out.requester_name,
        "requester_phone": sign_out.requester_phone,
    }
    return DetailsForm(
        data,
        initial=initial,
        delegate=sign_out.requester_kind == "delegate",
        party=sign_out.party_transfer,
    )


def _handover_form(sign_out: SignOut, data: Any = None) -> HandoverForm:
    today = sign_out.property.today()
    initial = {
        "acknowledged_name": sign_out.requester_name,
        "receipt_due": today + timedelta(days=receipt_days(sign_out.property)),
    }
    card = rules.registration_card_with_file(situation_of(sign_out))
    return HandoverForm(data, initial=initial, card=card)


def _render_case(
    request: HttpRequest,
    sign_out: SignOut,
    *,
    forms: dict[str, Any] | None = None,
    ticked: set[str] | None = None,
    refused: list[str] | None = None,
) -> HttpResponse:
    forms = forms or {}
    context = {
        "case": sign_out_view(sign_out, ticked),
        "details_form": forms.get("details") or _details_form(sign_out),
        "handover_form": forms.get("handover") or _handover_form(sign_out),
        "receipt_form": forms.get("receipt")
        or ReceiptForm(initial={"received_on": sign_out.property.today()}),
        "cancel_form": forms.get("cancel") or CancelForm(),
        "refused": refused or [],
    }
    htmx = getattr(request, "htmx", False)
    template = "personnel/_case.html" if htmx else "personnel/sign_out.html"
    return render(request, template, context)


@permission_required(VIEW_CASES, raise_exception=True)
def sign_out_detail(request: HttpRequest, sign_out_id: int) -> HttpResponse:
    return _render_case(request, _case(request, sign_out_id))


def _after_step(request: HtmxHttpRequest, sign_out: SignOut, done: str) -> HttpResponse:
    messages.success(request, done)
    if request.htmx:
        return _render_case(request, sign_out)
    return redirect("personnel:sign_out", sign_out_id=sign_out.pk)


@require_POST
@permission_required(SIGN_OUT, raise_exception=True)
def sign_out_check_view(request: HtmxHttpRequest, sign_out_id: int) -> HttpResponse:
    sign_out = _case(request, sign_out_id)
    form = _details_form(sign_out, request.POST)
    ticked = set(request.POST.getlist("documents"))
    if not form.is_valid():
        return _render_case(request, sign_out, forms={"details": form}, ticked=ticked)
    try:
        sign_out = sign_out_check(
            actor=request_actor(request),
            sign_out=sign_out,
            details=form.to_details(),
            documents=ticked,
        )
    except PersonnelError as error:
        if not error.missing:
            _step_refused(request, form, error)
        return _render_case(
            request,
            sign_out,
            forms={"details": form},
            ticked=ticked,
            refused=error.missing,
        )
    return _after_step(
        request,
        sign_out,
        _("材料齐全，已登记提档簿 %(number)s") % {"number": sign_out.register_number},
    )


@require_POST
@permission_required(SIGN_OUT, raise_exception=True)
def sign_out_hand_over_view(request: HtmxHttpRequest, sign_out_id: int) -> HttpResponse:
    sign_out = _case(request, sign_out_id)
    form = _handover_form(sign_out, request.POST)
    if not form.is_valid():
        return _render_case(request, sign_out, forms={"handover": form})
    try:
        sign_out = sign_out_hand_over(
            actor=request_actor(request), sign_out=sign_out, handover=form.to_handover()
        )
    except PersonnelError as error:
        _step_refused(request, form, error)
        return _render_case(request, sign_out, forms={"handover": form})
    return _after_step(request, sign_out, _("已交接，请打印交接单并请提档人带走回执联"))


@require_POST
@permission_required(SIGN_OUT, raise_exception=True)
def receipt_record_view(request: HtmxHttpRequest, sign_out_id: int) -> HttpResponse:
    sign_out = _case(request, sign_out_id)
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return _render_case(request, sign_out, forms={"receipt": form})
    try:
        sign_out = receipt_record(
            actor=request_actor(request),
            sign_out=sign_out,
            received_on=form.cleaned_data["received_on"],
            signed_by=form.cleaned_data["signed_by"],
            note=form.cleaned_data["note"],
        )
    except PersonnelError as error:
        _step_refused(request, form, error)
        return _render_case(request, sign_out, forms={"receipt": form})
    return _after_step(request, sign_out, _("回执已登记，提档结案"))


@require_POST
@permission_required(SIGN_OUT, raise_exception=True)
def sign_out_cancel_view(request: HtmxHttpRequest, sign_out_id: int) -> HttpResponse:
    sign_out = _case(request, sign_out_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _render_case(request, sign_out, forms={"cancel": form})
    try:
        sign_out = sign_out_cancel(
            actor=request_actor(request),
            sign_out=sign_out,
            reason=form.cleaned_data["reason"],
        )
    except PersonnelError as error:
        _step_refused(request, form, error)
        return _render_case(request, sign_out, forms={"cancel": form})
    return _after_step(request, sign_out, _("提档已撤销"))


@permission_required(VIEW_CASES, raise_exception=True)
def sign_out_receipt(request: HttpRequest, sign_out_id: int) -> HttpResponse:
    sign_out = _case(request, sign_out_id)
    if sign_out.state not in (SignOutState.HANDED_OVER, SignOutState.CLOSED):
        raise Http404
    return render(
        request, "personnel/receipt_print.html", {"case": sign_out_view(sign_out)}
    )


# Register and receipts ------------------------------------------------------------


@permission_required(VIEW_CASES, raise_exception=True)
def register(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    years = register_years(prop)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else (years[0] if years else prop.today().year)
    entries = [sign_out_view(e) for e in register_entries(prop, year=year)]
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=register_table(entries, year),
            fmt=fmt,
            actor=request.user,
            what="personnel.register",
            year=year,
        )
    context = {"entries": entries, "year": year, "years": years}
    return render(request, "personnel/register.html", context)


@permission_required(VIEW_CASES, raise_exception=True)
def receipts(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=receipts_table(receipts_outstanding(prop)),
            fmt=fmt,
            actor=request.user,
            what="personnel.receipts",
        )
    context = {
        "rows": receipts_outstanding(prop),
        "policy_form": PolicyForm(initial={"receipt_days": receipt_days(prop)}),
    }
    return render(request, "personnel/receipts.html", context)


@require_POST
@permission_required(SIGN_OUT, raise_exception=True)
def policy_set(request: HttpRequest) -> HttpResponse:
    form = PolicyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("回执期限须为 1 至 365 之间的整数天数"))
        return redirect("personnel:receipts")
    try:
        receipt_policy_set(
            actor=request_actor(request),
            property=viewer_property(request.user),
            days=form.cleaned_data["receipt_days"],
        )
    except PersonnelError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("回执期限已保存，适用于之后的交接"))
    return redirect("personnel:receipts")
