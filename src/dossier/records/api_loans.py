"""API of loan approval: the approver approves or refuses, the archivist hands out.

A loan the caller may not act on is not found (404), as on the pages.
"""

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from dossier.api.types import PageLimit, PageOffset
from dossier.records.api import ErrorOut, _error
from dossier.records.errors import RecordsError
from dossier.records.loans import (
    APPROVE_LOAN,
    loan_approve,
    loan_hand_out,
    loan_refuse,
)
from dossier.records.models import Loan
from dossier.records.selectors import loans_awaiting_approval, loans_pending
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

router = Router(tags=["records"])


class LoanStateOut(Schema):
    id: int
    state: str


class RefuseIn(Schema):
    reason: Annotated[str, Field(max_length=300)]


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionError


def _awaiting(request: HttpRequest, loan_id: int) -> Loan:
    _require(request, APPROVE_LOAN)
    loan = loans_awaiting_approval(request_actor(request)).filter(pk=loan_id).first()
    if loan is None:
        raise Http404
    return loan


@router.get(
    "/loans/approvals",
    response=list[LoanStateOut],
    summary="Loan requests waiting for the caller's approval",
)
def loan_approvals(
    request: HttpRequest, limit: PageLimit = 50, offset: PageOffset = 0
) -> Any:
    _require(request, APPROVE_LOAN)
    awaiting = loans_awaiting_approval(request_actor(request))
    page = awaiting[offset : offset + limit]
    return [{"id": loan.pk, "state": loan.state} for loan in page]


@router.post(
    "/loans/{loan_id}/approve",
    response={200: LoanStateOut, 422: ErrorOut},
    summary="Approve a loan request",
)
def loan_approve_api(request: HttpRequest, loan_id: int) -> Any:
    loan = _awaiting(request, loan_id)
    try:
        loan = loan_approve(actor=request_actor(request), loan=loan)
    except RecordsError as error:
        return _error(error)
    return Status(200, {"id": loan.pk, "state": loan.state})


@router.post(
    "/loans/{loan_id}/refuse",
    response={200: LoanStateOut, 422: ErrorOut},
    summary="Refuse a loan request, saying why",
)
def loan_refuse_api(request: HttpRequest, loan_id: int, payload: RefuseIn) -> Any:
    loan = _awaiting(request, loan_id)
    try:
        loan = loan_refuse(
            actor=request_actor(request), loan=loan, reason=payload.reason
        )
    except RecordsError as error:
        return _error(error)
    return Status(200, {"id": loan.pk, "state": loan.state})


@router.post(
    "/loans/{loan_id}/hand-out",
    response={200: LoanStateOut, 422: ErrorOut},
    summary="Hand the original of an approved loan to the borrower",
)
def loan_hand_out_api(request: HttpRequest, loan_id: int) -> Any:
    _require(request, "records.lend_case")
    pending = loans_pending(viewer_property(request.user), viewer=request.user)
    loan = pending.filter(pk=loan_id).first()
    if loan is None:
        raise Http404
    try:
        loan = loan_hand_out(actor=request_actor(request), loan=loan)
    except RecordsError as error:
        return _error(error)
    return Status(200, {"id": loan.pk, "state": loan.state})
