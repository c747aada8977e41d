"""Loans (借出): an original leaves the archive only against an approved sign-out.

The archivist requests a loan naming its approver (``loan_request``); the approver,
a user with the right to approve loans who is neither the borrower nor the archivist,
approves or refuses it in the product (``loan_approve`` / ``loan_refuse``); only an
approved loan is handed out (``loan_hand_out``). One open loan per case is kept by a
partial unique constraint, so that two clicks 50 ms apart cannot both reserve it: the
second is refused naming the open loan, and leaves no loan behind.
"""

import logging
import smtplib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.core.people import staff_name
from dossier.core.punctuation import punctuation
from dossier.records.access import case_visible_to, hidden_class_ids
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import (
    LOAN_OPEN_STATES,
    Case,
    CaseStatus,
    Loan,
    LoanNotice,
    LoanNoticeKind,
    LoanReminder,
    LoanState,
    ReminderRole,
)

logger = logging.getLogger(__name__)

APPROVE_LOAN = "records.approve_loan"
# An original is out for weeks, not years; a later date is a typing error.
DEFAULT_LOAN_MAX_DAYS = 90


def loan_max_days() -> int:
    """The longest loan period in days (``DOSSIER_LOAN_MAX_DAYS``, 90 by default)."""
    return int(getattr(settings, "DOSSIER_LOAN_MAX_DAYS", DEFAULT_LOAN_MAX_DAYS))


# An approver answers within the week; a request left longer keeps the original idle.
DEFAULT_LOAN_REQUEST_DAYS = 7


def loan_request_days() -> int:
    """Days a request may wait for its approver (``DOSSIER_LOAN_REQUEST_DAYS``, 7)."""
    return int(
        getattr(settings, "DOSSIER_LOAN_REQUEST_DAYS", DEFAULT_LOAN_REQUEST_DAYS)
    )


def _check_due(due_date: date, today: date) -> None:
    if due_date <= today:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("%(due_date)s 须晚于今天（%(today)s）")
            % {"due_date": f"{due_date:%Y-%m-%d}", "today": f"{today:%Y-%m-%d}"},
            field="due_date",
        )
    longest = today + timedelta(days=loan_max_days())
    if due_date > longest:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("%(due_date)s 超出最长借期 %(loan_max_days)s 天，最晚为 %(longest)s")
            % {
                "due_date": f"{due_date:%Y-%m-%d}",
                "loan_max_days": loan_max_days(),
                "longest": f"{longest:%Y-%m-%d}",
            },
            field="due_date",
        )


def borrower_label(loan: Loan) -> str:
    """The borrower by name: a user as :func:`dossier.core.people.staff_name`, else 姓名（部门）."""
    if loan.borrower is not None:
        return staff_name(loan.borrower)
    return (
        loan.borrower_name
        + punctuation("（")
        + loan.borrower_department
        + punctuation("）")
    )


def _check_borrower(
    case: Case, borrower: User | None, name: str, department: str
) -> None:
    """A borrower is a user who may see the case, or a person named with a department.

    A person without an account, or one the case's class is not open to, may still
    borrow an original the approver agrees to lend: they are written down by name.
    """
    if borrower is None:
        if not name or not department:
            raise RecordsError(
                RecordsErrorCode.INVALID_VALUE,
                _("请选择借阅人（用户），或写明借阅人姓名及其部门"),
                field="borrower",
            )
        return
    if name:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("借阅人已选用户 %(person_name)s，不必再写姓名；二者只填其一")
            % {"person_name": staff_name(borrower)},
            field="borrower_name",
        )
    if not case_visible_to(borrower, case):
        raise RecordsError(
            RecordsErrorCode.NOT_PERMITTED,
            _(
                "%(person_name)s 无权查看该类档案，不能以其用户身份借出；如经批准确需借阅，请不选用户，改写借阅人姓名及部门"
            )
            % {"person_name": staff_name(borrower)},
            field="borrower",
        )


def loan_active(case: Case) -> Loan | None:
    """The open loan of ``case``: requested, approved or out."""
    return (
        Loan.objects.select_related("borrower", "approved_by")
        .filter(case=case, state__in=LOAN_OPEN_STATES)
        .first()
    )


def _on_loan_error(loan: Loan) -> RecordsError:
    values = {
        "archive_number": loan.case.archive_number,
        "person_name": borrower_label(loan),
        "approver": staff_name(loan.approved_by),
        "due_date": f"{loan.due_date:%Y-%m-%d}",
    }
    if loan.state == LoanState.REQUESTED:
        message = _(
            "档案 %(archive_number)s 已有待批准的借出申请（借阅人 %(person_name)s，批准人 %(approver)s，应还 %(due_date)s），须待其批准或不批准后再申请"
        )
    elif loan.state == LoanState.APPROVED:
        message = _(
            "档案 %(archive_number)s 已批准借给 %(person_name)s，待出库，应于 %(due_date)s 归还"
        )
    else:
        message = _(
            "档案 %(archive_number)s 已由 %(person_name)s 借出，应于 %(due_date)s 归还"
        )
    return RecordsError(RecordsErrorCode.ON_LOAN, message % values)


def _check_approver(
    *, actor: User, case: Case, borrower: User | None, approved_by: User | None
) -> User:
    if approved_by is None:
        raise RecordsError(
            RecordsErrorCode.NOT_APPROVED,
            _("借出原件须写明批准人"),
            field="approved_by",
        )
    if not approved_by.is_active or not approved_by.has_perm(APPROVE_LOAN):
        raise RecordsError(
            RecordsErrorCode.NOT_APPROVED,
            _("%(person_name)s 无权批准借出原件，请由部门主管或总经理批准")
            % {"person_name": staff_name(approved_by)},
            field="approved_by",
        )
    if borrower is not None and approved_by.pk == borrower.pk:
        raise RecordsError(
            RecordsErrorCode.NOT_APPROVED,
            _("%(person_name)s 不能批准自己借出原件，请由另一位主管批准")
            % {"person_name": staff_name(borrower)},
            field="approved_by",
        )
    if approved_by.pk == actor.pk:
        raise RecordsError(
            RecordsErrorCode.NOT_APPROVED,
            _("%(person_name)s 不能批准自己经办的借出，请由另一位主管批准")
            % {"person_name": staff_name(actor)},
            field="approved_by",
        )
    if not case_visible_to(approved_by, case):
        raise RecordsError(
            RecordsErrorCode.NOT_APPROVED,
            _("%(person_name)s 无权查看该类档案，不能批准借出，请另选批准人")
            % {"person_name": staff_name(approved_by)},
            field="approved_by",
        )
    return approved_by


def _check_lendable(case: Case) -> None:
    if case.status not in (CaseStatus.FILED, CaseStatus.PARTLY_DESTROYED):
        raise RecordsError(
            RecordsErrorCode.WRONG_STATUS,
            _("案件%(status)s，不能借出") % {"status": case.get_status_display()},
        )
    if case.copy_only:
        raise RecordsError(
            RecordsErrorCode.WRONG_STATUS,
            _("原稿由%(original_holder)s保管，档案室只存影本")
            % {"original_holder": case.original_holder},
        )


def loan_request_problems(
    *,
    actor: User,
    case: Case,
    borrower: User | None,
    due_date: date | None,
    approved_by: User | None,
    borrower_name: str = "",
    borrower_department: str = "",
) -> list[RecordsError]:
    """Every reason the request would be refused for its borrower, approver or date,
    each naming its field, so a form can show them all at once. A ``due_date`` of
    None (not given or unreadable) is left to the form to report."""
    name, department = borrower_name.strip()[:60], borrower_department.strip()[:60]
    found: list[RecordsError] = []
    checks: list[Callable[[], object]] = [
        lambda: _check_borrower(case, borrower, name, department),
        lambda: _check_approver(
            actor=actor, case=case, borrower=borrower, approved_by=approved_by
        ),
    ]
    if due_date is not None:
        checks.append(lambda: _check_due(due_date, case.property.today()))
    for check in checks:
        try:
            check()
        except RecordsError as error:
            found.append(error)
    return found


def loan_request(
    *,
    actor: User,
    case: Case,
    borrower: User | None,
    due_date: date,
    approved_by: User | None,
    purpose: str = "",
    approved_on_paper: bool = False,
    borrower_name: str = "",
    borrower_department: str = "",
) -> Loan:
    """Ask ``approved_by`` to approve lending the original of ``case`` to ``borrower``.

    The request reserves the original until it is refused or the loan is returned; a
    second request meanwhile is refused naming the open one. With ``approved_on_paper``
    the archivist records an approval already signed on a paper slip: the loan is
    approved at once and the archivist is recorded as the one who entered it.
    """
    name, department = borrower_name.strip()[:60], borrower_department.strip()[:60]
    _check_borrower(case, borrower, name, department)
    approved_by = _check_approver(
        actor=actor, case=case, borrower=borrower, approved_by=approved_by
    )
    _check_due(due_date, case.property.today())

    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _check_lendable(case)
        active = loan_active(case)
        if active is not None:
            raise _on_loan_error(active)
        now = timezone.now()
        try:
            with transaction.atomic():
                loan = Loan.objects.create(
                    case=case,
                    state=LoanState.APPROVED
                    if approved_on_paper
                    else LoanState.REQUESTED,
                    borrower=borrower,
                    borrower_name=name,
                    borrower_department=department,
                    purpose=purpose.strip(),
                    due_date=due_date,
                    requested_by=actor,
                    requested_at=now,
                    approved_by=approved_by,
                    decided_at=now if approved_on_paper else None,
                    approval_recorded_by=actor if approved_on_paper else None,
                )
        except IntegrityError:
            # Another request for the same case committed first (PostgreSQL lets
            # both pass the check above); report it as the ordinary refusal.
            active = loan_active(case)
            if active is None:
                raise
            raise _on_loan_error(active) from None
        audit(
            actor=actor,
            action=AuditAction.LOAN_REQUESTED,
            obj=case,
            loan=loan.pk,
            borrower=borrower.pk if borrower else None,
            borrower_name=borrower_label(loan),
            due=str(due_date),
            approved_by=approved_by.pk,
            approved_on_paper=approved_on_paper,
        )
        if loan.state == LoanState.REQUESTED:
            _notice(
                loan,
                approved_by,
                LoanNoticeKind.APPROVAL,
                subject=_("借出申请待您批准：%(archive_number)s")
                % {"archive_number": case.archive_number},
                message=_approval_text(loan),
            )
    return loan


def _approval_text(loan: Loan) -> str:
    return _(
        "%(requester)s 申请借出档案 %(archive_number)s《%(title)s》给 %(person_name)s，应还 %(due_date)s，待您批准。请在“待我批准的借出”页批准或不批准；%(days)s 天内未批准，申请将自动撤回。"
    ) % {
        "requester": staff_name(loan.requested_by),
        "archive_number": loan.case.archive_number,
        "title": loan.case.title,
        "person_name": borrower_label(loan),
        "due_date": f"{loan.due_date:%Y-%m-%d}",
        "days": loan_request_days(),
    }


def _notice(
    loan: Loan, recipient: User, kind: LoanNoticeKind, *, subject: str, message: str
) -> bool:
    """Keep one notice of ``kind`` for ``recipient``; e-mail it after commit.

    Returns False when the recipient already had it, so a second run adds nothing.
    """
    notice, created = LoanNotice.objects.get_or_create(
        loan=loan,
        recipient=recipient,
        kind=kind,
        defaults={"message": message[:500], "emailed": bool(recipient.email)},
    )
    if created and recipient.email:
        transaction.on_commit(
            partial(_email_notice, notice.pk, recipient.email, subject, message)
        )
    return created


def _email_notice(notice_id: int, to: str, subject: str, message: str) -> None:
    """Send one notice by e-mail; a mail server that fails leaves the notice in-app.

    The notice is committed already, so the failure is logged and the notice marked
    as not e-mailed rather than turned into an error for whoever triggered it.
    """
    try:
        send_mail(
            subject=subject,
            message=message,
            from_email=None,
            recipient_list=[to],
            fail_silently=False,
        )
    except (smtplib.SMTPException, OSError) as error:
        logger.warning(
            "loan notice %s not e-mailed: %s",
            notice_id,
            error,
            extra={"notice": notice_id},
        )
        LoanNotice.objects.filter(pk=notice_id).update(emailed=False)


def _open_loan(loan: Loan, state: LoanState) -> Loan:
    locked = Loan.objects.select_for_update().select_related("case").get(pk=loan.pk)
    if locked.state != state:
        raise RecordsError(
            RecordsErrorCode.WRONG_STATUS,
            _("该借出%(state)s，不能再办理") % {"state": locked.get_state_display()},
        )
    return locked


def _check_decider(actor: User, loan: Loan) -> None:
    if actor.pk != loan.approved_by_id or not actor.has_perm(APPROVE_LOAN):
        raise RecordsError(
            RecordsErrorCode.NOT_PERMITTED,
            _("该借出须由 %(person_name)s 批准")
            % {"person_name": staff_name(loan.approved_by)},
        )


def loan_approve(*, actor: User, loan: Loan) -> Loan:
    """The named approver approves a requested loan; it may then be handed out."""
    _check_decider(actor, loan)
    with transaction.atomic():
        loan = _open_loan(loan, LoanState.REQUESTED)
        loan.state = LoanState.APPROVED
        loan.decided_at = timezone.now()
        loan.save(update_fields=["state", "decided_at"])
        audit(
            actor=actor, action=AuditAction.LOAN_APPROVED, obj=loan.case, loan=loan.pk
        )
    return loan


def loan_refuse(*, actor: User, loan: Loan, reason: str) -> Loan:
    """The named approver refuses a requested loan, saying why; the original is free."""
    _check_decider(actor, loan)
    if not reason.strip():
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("不批准时须写明理由"),
            field="reason",
        )
    with transaction.atomic():
        loan = _open_loan(loan, LoanState.REQUESTED)
        loan.state = LoanState.REFUSED
        loan.decided_at = timezone.now()
        loan.refusal_reason = reason.strip()[:300]
        loan.save(update_fields=["state", "decided_at", "refusal_reason"])
        audit(
            actor=actor,
            action=AuditAction.LOAN_REFUSED,
            obj=loan.case,
            loan=loan.pk,
            reason=loan.refusal_reason,
        )
    return loan


def loan_withdraw(*, actor: User, loan: Loan, reason: str) -> Loan:
    """The archive withdraws a loan not yet handed out, saying why; the original is free.

    A request its approver leaves unanswered, or an approved loan the borrower no
    longer collects, would otherwise keep the original reserved.
    """
    if not reason.strip():
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("撤回借出申请时须写明理由"),
            field="reason",
        )
    with transaction.atomic():
        locked = Loan.objects.select_for_update().select_related("case").get(pk=loan.pk)
        if locked.state not in (LoanState.REQUESTED, LoanState.APPROVED):
            raise RecordsError(
                RecordsErrorCode.WRONG_STATUS,
                _("该借出%(state)s，不能再办理")
                % {"state": locked.get_state_display()},
            )
        _withdrawn(locked, actor=actor, reason=reason)
    return locked


def _withdrawn(loan: Loan, *, actor: User | None, reason: str, **detail: str) -> None:
    """Mark the locked ``loan`` withdrawn, which frees the original, and audit it."""
    loan.state = LoanState.WITHDRAWN
    loan.withdrawal_reason = reason.strip()[:300]
    loan.save(update_fields=["state", "withdrawal_reason"])
    audit(
        actor=actor,
        action=AuditAction.LOAN_WITHDRAWN,
        obj=loan.case,
        loan=loan.pk,
        reason=loan.withdrawal_reason,
        **detail,
    )


def _requests_cutoff(prop: Property, on: date) -> datetime:
    """The moment before which a request has waited ``loan_request_days`` on ``on``.

    A request made on day R lapses on day R + days, whatever its hour, counted in
    the property's own days.
    """
    first_kept = on - timedelta(days=loan_request_days() - 1)
    return datetime.combine(first_kept, time.min, tzinfo=prop.zone)


def loan_requests_expire(*, on: date, prop: Property) -> int:
    """Withdraw every request of ``prop`` its approver left unanswered too long.

    Each is withdrawn in its own transaction with the reason written on the loan,
    which frees the original; the borrower (or, for a borrower without an account,
    the archivist who asked) gets a notice, e-mailed after commit. A loan decided
    meanwhile is left alone, and a second run finds nothing left to withdraw.
    Returns how many requests were withdrawn.
    """
    started = timezone.now()
    lapsed = (
        Loan.objects.filter(
            case__property=prop,
            state=LoanState.REQUESTED,
            requested_at__lt=_requests_cutoff(prop, on),
        )
        .order_by("requested_at", "pk")
        .values_list("pk", flat=True)
    )
    withdrawn = 0
    for loan_id in list(lapsed):
        with transaction.atomic():
            loan = (
                Loan.objects.select_for_update(of=("self",))
                .select_related("case", "borrower", "approved_by", "requested_by")
                .get(pk=loan_id)
            )
            if loan.state != LoanState.REQUESTED:
                continue
            _withdrawn(
                loan,
                actor=None,
                reason=_expiry_reason(loan),
                expired_on=f"{on:%Y-%m-%d}",
            )
            _expiry_notices(loan, on)
        withdrawn += 1
    logger.info(
        "loan requests expired on %s: %s withdrawn in %.2fs",
        on,
        withdrawn,
        (timezone.now() - started).total_seconds(),
        extra={"on": str(on), "withdrawn": withdrawn},
    )
    return withdrawn


def _expiry_reason(loan: Loan) -> str:
    return _("批准人 %(approver)s 在 %(days)s 天内未批准，申请自动撤回") % {
        "approver": staff_name(loan.approved_by),
        "days": loan_request_days(),
    }


def _expiry_notices(loan: Loan, on: date) -> None:
    """Tell the borrower, and the archivist who asked, that the request lapsed."""
    message = _(
        "%(requested_on)s 申请借出的档案 %(archive_number)s《%(title)s》（借阅人 %(person_name)s）在 %(days)s 天内未获 %(approver)s 批准，已于 %(on)s 自动撤回，原件不再预留。如仍需借阅，请重新申请。"
    ) % {
        "requested_on": f"{timezone.localtime(loan.requested_at, loan.case.property.zone):%Y-%m-%d}",
        "archive_number": loan.case.archive_number,
        "title": loan.case.title,
        "person_name": borrower_label(loan),
        "days": loan_request_days(),
        "approver": staff_name(loan.approved_by),
        "on": f"{on:%Y-%m-%d}",
    }
    subject = _("借出申请已撤回：%(archive_number)s") % {
        "archive_number": loan.case.archive_number
    }
    recipients = [loan.borrower, loan.requested_by]
    seen: set[int] = set()
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        _notice(loan, user, LoanNoticeKind.EXPIRED, subject=subject, message=message)


def notices_for(user: User, *, days: int = 30) -> QuerySet[LoanNotice]:
    """The withdrawn-request notices of ``user`` from the last ``days``, newest first."""
    since = timezone.now() - timedelta(days=days)
    return LoanNotice.objects.select_related("loan__case").filter(
        recipient=user, kind=LoanNoticeKind.EXPIRED, created_at__gte=since
    )


def loan_hand_out(*, actor: User, loan: Loan) -> Loan:
    """Hand the original of an approved loan to the borrower (出库)."""
    with transaction.atomic():
        locked = Loan.objects.select_for_update().select_related("case").get(pk=loan.pk)
        if locked.state == LoanState.REQUESTED:
            raise RecordsError(
                RecordsErrorCode.NOT_APPROVED,
                _("%(person_name)s 尚未批准，原件不能出库")
                % {"person_name": staff_name(locked.approved_by)},
            )
        loan = _open_loan(locked, LoanState.APPROVED)
        _check_lendable(loan.case)
        loan.state = LoanState.OUT
        loan.out_at = timezone.now()
        loan.signed_out_by = actor
        loan.save(update_fields=["state", "out_at", "signed_out_by"])
        audit(
            actor=actor,
            action=AuditAction.LOAN_SIGNED_OUT,
            obj=loan.case,
            loan=loan.pk,
            borrower=loan.borrower_id,
            due=str(loan.due_date),
            approved_by=loan.approved_by_id,
        )
    return loan


# What a returned original's note may hold, on the page and through the API.
RETURN_NOTE_LENGTH = 500


def loan_return(*, actor: User, loan: Loan, complete: bool, note: str = "") -> Loan:
    """Check the original back in; an incomplete return needs a note of what is missing."""
    if len(note.strip()) > RETURN_NOTE_LENGTH:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("最多 %(limit)s 字") % {"limit": RETURN_NOTE_LENGTH},
            field="note",
        )
    if not complete and not note.strip():
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("归还不完整时须注明短缺情况"),
            field="note",
        )
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        if loan.state == LoanState.RETURNED:
            raise RecordsError(RecordsErrorCode.WRONG_STATUS, _("该借出已归还"))
        loan = _open_loan(loan, LoanState.OUT)
        loan.state = LoanState.RETURNED
        loan.returned_at = timezone.now()
        loan.return_checked_by = actor
        loan.return_complete = complete
        loan.return_note = note.strip()
        loan.save(
            update_fields=[
                "state",
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
        .filter(case__property=prop, state=LoanState.OUT, due_date__lt=today)
        .order_by("due_date", "pk")
    )


def _archivists(prop_id: int) -> QuerySet[User]:
    """Active staff of the property who may lend and take back originals."""
    may_lend = Q(groups__permissions__codename="lend_case") | Q(
        user_permissions__codename="lend_case"
    )
    return (
        User.objects.filter(may_lend, is_active=True, staff__property_id=prop_id)
        .distinct()
        .order_by("pk")
    )


def _reminder_text(loan: Loan, on: date) -> str:
    days = (on - loan.due_date).days
    return _(
        "档案 %(archive_number)s《%(title)s》由 %(person_name)s 借出，应于 %(due_date)s 归还，已逾期 %(days)s 天，请尽快归还。"
    ) % {
        "archive_number": loan.case.archive_number,
        "title": loan.case.title,
        "person_name": borrower_label(loan),
        "due_date": f"{loan.due_date:%Y-%m-%d}",
        "days": days,
    }


def _email_borrower(loan: Loan, to: str, message: str) -> None:
    send_mail(
        subject=_("催还档案 %(archive_number)s")
        % {"archive_number": loan.case.archive_number},
        message=message,
        from_email=None,
        recipient_list=[to],
        fail_silently=False,
    )


def loans_overdue_remind(*, on: date, prop: Property | None = None) -> int:
    """Remind the borrower and the archivists of each loan overdue on ``on``, once.

    Each reminder is an in-app notice (:class:`LoanReminder`), one per loan and
    recipient, so running this twice a day, or every day, never repeats one. A borrower
    with an e-mail address also gets an e-mail, sent after the notice is committed.
    Returns how many notices were made; ``prop`` keeps to the loans of one property.
    """
    made = 0
    overdue = (
        Loan.objects.select_related("case", "borrower")
        .filter(state=LoanState.OUT, due_date__lt=on)
        .order_by("due_date", "pk")
    )
    if prop is not None:
        overdue = overdue.filter(case__property=prop)
    for loan in overdue.iterator(chunk_size=200):
        message = _reminder_text(loan, on)
        # The borrower holds the original; archivists are told only of cases they
        # may see, as the notice names the case.
        # A borrower named without an account is reminded by the archivists.
        borrower = [] if loan.borrower is None else [loan.borrower]
        recipients = [(user, ReminderRole.BORROWER) for user in borrower] + [
            (user, ReminderRole.ARCHIVIST)
            for user in _archivists(loan.case.property_id)
            if user.pk != loan.borrower_id and case_visible_to(user, loan.case)
        ]
        with transaction.atomic():
            for user, role in recipients:
                reminder, created = LoanReminder.objects.get_or_create(
                    loan=loan,
                    recipient=user,
                    defaults={"role": role, "message": message},
                )
                if not created:
                    continue
                made += 1
                if role == ReminderRole.BORROWER and user.email:
                    reminder.emailed = True
                    reminder.save(update_fields=["emailed"])
                    transaction.on_commit(
                        partial(_email_borrower, loan, user.email, message)
                    )
    logger.info(
        "loans_overdue_remind on %s: %s reminders", on, made, extra={"on": str(on)}
    )
    return made


def reminders_for(user: User) -> QuerySet[LoanReminder]:
    """The overdue notices of ``user`` for loans still out, newest first.

    A borrower sees the notices of what they hold; anyone else only those of cases
    they may still see.
    """
    notices = LoanReminder.objects.select_related("loan__case").filter(
        recipient=user, loan__state=LoanState.OUT
    )
    hidden: set[int] = set()
    for prop_id in notices.values_list("loan__case__property", flat=True).distinct():
        hidden |= hidden_class_ids(user, Property.objects.get(pk=prop_id))
    if hidden:
        notices = notices.exclude(
            Q(loan__case__archive_class_id__in=hidden) & ~Q(loan__borrower=user)
        )
    return notices
