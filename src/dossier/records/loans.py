"""Loans (借出): an original leaves the archive only against an approved sign-out.

One active loan per case is kept by a partial unique constraint, so that two clicks
50 ms apart cannot both lend it: the second is refused with who holds the case and
until when, and leaves no loan behind.
"""

from datetime import date

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import Case, CaseStatus, Loan

APPROVE_LOAN = "records.approve_loan"


def _who(user: User) -> str:
    return user.get_full_name() or user.get_username()


def loan_active(case: Case) -> Loan | None:
    return (
        Loan.objects.select_related("borrower")
        .filter(case=case, returned_at__isnull=True)
        .first()
    )


def _on_loan_error(loan: Loan) -> RecordsError:
    return RecordsError(
        RecordsErrorCode.ON_LOAN,
        f"档案 {loan.case.archive_number} 已由 {_who(loan.borrower)} 借出，"
        f"应于 {loan.due_date:%Y-%m-%d} 归还",
    )


def loan_sign_out(
    *,
    actor: User,
    case: Case,
    borrower: User,
    due_date: date,
    approved_by: User | None,
    purpose: str = "",
) -> Loan:
    """Lend the original of ``case`` to ``borrower`` until ``due_date``."""
    today = case.property.today()
    if approved_by is None or not approved_by.has_perm(APPROVE_LOAN):
        raise RecordsError(
            RecordsErrorCode.NOT_APPROVED, "借出原件须经批准", field="approved_by"
        )
    if due_date <= today:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE, "应还日期须晚于今天", field="due_date"
        )

    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status not in (CaseStatus.FILED, CaseStatus.PARTLY_DESTROYED):
            raise RecordsError(
                RecordsErrorCode.WRONG_STATUS,
                f"案件{case.get_status_display()}，不能借出",
            )
        if case.copy_only:
            raise RecordsError(
                RecordsErrorCode.WRONG_STATUS,
                f"原稿由{case.original_holder}保管，档案室只存影本",
            )
        active = loan_active(case)
        if active is not None:
            raise _on_loan_error(active)
        try:
            with transaction.atomic():
                loan = Loan.objects.create(
                    case=case,
                    borrower=borrower,
                    purpose=purpose.strip(),
                    due_date=due_date,
                    approved_by=approved_by,
                    signed_out_by=actor,
                )
        except IntegrityError:
            # Another sign-out of the same case committed first (PostgreSQL lets both
            # pass the check above); report it as the ordinary refusal.
            active = loan_active(case)
            if active is None:
                raise
            raise _on_loan_error(active) from None
        audit(
            actor=actor,
            action=AuditAction.LOAN_SIGNED_OUT,
            obj=case,
            loan=loan.pk,
            borrower=borrower.pk,
            due=str(due_date),
            approved_by=approved_by.pk,
        )
    return loan


def loan_return(*, actor: User, loan: Loan, complete: bool, note: str = "") -> Loan:
    """Check the original back in; an incomplete return needs a note of what is missing."""
    if not complete and not note.strip():
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE, "归还不完整时须注明短缺情况", field="note"
        )
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        if loan.returned_at is not None:
            raise RecordsError(RecordsErrorCode.WRONG_STATUS, "该借出已归还")
        loan.returned_at = timezone.now()
        loan.return_checked_by = actor
        loan.return_complete = complete
        loan.return_note = note.strip()
        loan.save(
            update_fields=[
                "returned_at",
                "return_checked_by",
                "return_complete",
                "return_note",
            ]
        )
        audit(
            actor=actor,
            action=AuditAction.LOAN_RETURNED,
            obj=loan.case,
            loan=loan.pk,
            complete=complete,
            note=loan.return_note,
        )
    return loan


def loans_overdue(prop: Property, today: date | None = None) -> QuerySet[Loan]:
    """Active loans past their due date, the most overdue first, for reminders."""
    today = today or prop.today()
    return (
        Loan.objects.select_related("case", "borrower")
        .filter(case__property=prop, returned_at__isnull=True, due_date__lt=today)
        .order_by("due_date", "pk")
    )
