"""Loan approval pages: the approver's list, approve, refuse, and handing out."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.core.exports import export_format, export_response
from dossier.records.errors import RecordsError
from dossier.records.exports import loan_approvals_table
from dossier.records.forms import RefuseForm, WithdrawForm
from dossier.records.loans import (
    APPROVE_LOAN,
    borrower_label,
    loan_approve,
    loan_hand_out,
    loan_refuse,
    loan_withdraw,
)
from dossier.records.models import Loan
from dossier.records.selectors import loans_awaiting_approval, loans_pending
from dossier.records.views import loans_page
from dossier.records.views_case import beside_field, row_forms
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property


@permission_required(APPROVE_LOAN, raise_exception=True)
def loan_approvals(request: HttpRequest) -> HttpResponseBase:
    awaiting = loans_awaiting_approval(request_actor(request))
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=loan_approvals_table(awaiting),
            fmt=fmt,
            actor=request.user,
            what="records.loan_approvals",
        )
    return _approvals_page(request)


def _approvals_page(
    request: HttpRequest, *, failed: int | None = None, form: RefuseForm | None = None
) -> HttpResponse:
    """The loans awaiting the viewer; the refusal of loan ``failed`` shows its errors."""
    awaiting = list(loans_awaiting_approval(request_actor(request)))
    row_forms(awaiting, "refuse", RefuseForm, failed=failed, form=form)
    status = 400 if form is not None else 200
    return render(
        request, "records/loan_approvals.html", {"awaiting": awaiting}, status=status
    )


def _pending(request: HttpRequest, loan_id: int) -> Loan:
    """A loan of the viewer's property not yet handed out, or 404."""
    pending = loans_pending(viewer_property(request.user), viewer=request.user)
    loan = pending.filter(pk=loan_id).first()
    if loan is None:
        raise Http404
    return loan


class _Handled(Exception):
    """The loan named the viewer as approver and no longer waits for them."""

    def __init__(self, loan: Loan) -> None:
        self.loan = loan


def _awaiting(request: HttpRequest, loan_id: int) -> Loan:
    actor = request_actor(request)
    loan = loans_awaiting_approval(actor).filter(pk=loan_id).first()
    if loan is None:
        handled = Loan.objects.filter(approved_by=actor, pk=loan_id).first()
        if handled is not None:
            raise _Handled(handled)
        raise Http404
    return loan


def _already_handled(request: HttpRequest, handled: _Handled) -> HttpResponse:
    """A second click on approve or refuse: what became of the request instead."""
    messages.info(
        request,
        _("这项借阅申请已处理（%(state)s），无需再批")
        % {"state": handled.loan.get_state_display()},
    )
    return redirect("records:loan_approvals")


@require_POST
@permission_required(APPROVE_LOAN, raise_exception=True)
def loan_approve_view(request: HttpRequest, loan_id: int) -> HttpResponse:
    try:
        loan = _awaiting(request, loan_id)
    except _Handled as handled:
        return _already_handled(request, handled)
    try:
        loan_approve(actor=request_actor(request), loan=loan)
    except RecordsError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("已批准借给 %(person_name)s，档案室可办理出库")
            % {"person_name": borrower_label(loan)},
        )
    return redirect("records:loan_approvals")


@require_POST
@permission_required(APPROVE_LOAN, raise_exception=True)
def loan_refuse_view(request: HttpRequest, loan_id: int) -> HttpResponse:
    try:
        loan = _awaiting(request, loan_id)
    except _Handled as handled:
        return _already_handled(request, handled)
    form = RefuseForm(request.POST, auto_id=f"refuse-{loan.pk}-%s")
    if not form.is_valid():
        return _approvals_page(request, failed=loan.pk, form=form)
    try:
        loan_refuse(
            actor=request_actor(request), loan=loan, reason=form.cleaned_data["reason"]
        )
    except RecordsError as error:
        if not beside_field(form, error):
            messages.error(request, error.message)
            return redirect("records:loan_approvals")
        return _approvals_page(request, failed=loan.pk, form=form)
    messages.success(request, _("已不批准，原件不再预留"))
    return redirect("records:loan_approvals")


@require_POST
@permission_required("records.lend_case", raise_exception=True)
def loan_hand_out_view(request: HttpRequest, loan_id: int) -> HttpResponse:
    loan = _pending(request, loan_id)
    try:
        loan_hand_out(actor=request_actor(request), loan=loan)
    except RecordsError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("已出库，应于 %(due)s 归还") % {"due": f"{loan.due_date:%Y-%m-%d}"},
        )
    return redirect("records:loans")


@require_POST
@permission_required("records.lend_case", raise_exception=True)
def loan_withdraw_view(request: HttpRequest, loan_id: int) -> HttpResponse:
    loan = _pending(request, loan_id)
    form = WithdrawForm(request.POST, auto_id=f"withdraw-{loan.pk}-%s")
    if not form.is_valid():
        return loans_page(request, failed=loan.pk, form=form)
    try:
        loan_withdraw(
            actor=request_actor(request), loan=loan, reason=form.cleaned_data["reason"]
        )
    except RecordsError as error:
        if not beside_field(form, error):
            messages.error(request, error.message)
            return redirect("records:loans")
        return loans_page(request, failed=loan.pk, form=form)
    messages.success(request, _("借出申请已撤回，原件不再预留"))
    return redirect("records:loans")
