"""Disposal (档卷清理): the destruction register, its approval, and destruction.

Once a year, and on demand, the cases past retention are proposed in a register;
cases on loan or on hold are listed as excluded with the reason. Nothing is destroyed
before the general manager approves (a permission); a pending register stays pending.
Destruction clears the content, writes the date into the catalogue, and the register
is kept for ever. A case can be destroyed in part, with a note of what was kept.
"""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.records.attachments import attachments_destroy
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import (
    Case,
    CaseStatus,
    DestructionEntry,
    DestructionRegister,
    Hold,
    Loan,
    RegisterStatus,
)

APPROVE_DESTRUCTION = "records.approve_destruction"


def exclusion_reason(case: Case) -> str:
    """Why ``case`` may not be destroyed now (on loan, on hold), or an empty string."""
    reasons = []
    loan = (
        Loan.objects.select_related("borrower")
        .filter(case=case, returned_at__isnull=True)
        .first()
    )
    if loan is not None:
        who = loan.borrower.get_full_name() or loan.borrower.get_username()
        reasons.append(f"借出中：{who}，应还 {loan.due_date:%Y-%m-%d}")
    for hold in Hold.objects.filter(case=case, released_at__isnull=True):
        reasons.append(f"保全中：{hold.authority}，{hold.reason}")
    return "；".join(reasons)


def register_propose(
    *, actor: User, prop: Property, as_of: date | None = None
) -> DestructionRegister:
    """Draw up a register of the cases due by ``as_of`` (today where the property is).

    Cases already on a register that has not been carried out are left out.
    """
    as_of = as_of or prop.today()
    with transaction.atomic():
        on_open_register = DestructionEntry.objects.filter(
            register__property=prop,
            register__status__in=[RegisterStatus.PENDING, RegisterStatus.APPROVED],
        ).values("case_id")
        due = (
            Case.objects.filter(
                property=prop,
                status=CaseStatus.FILED,
                belongs_to__isnull=True,
                due_date__isnull=False,
                due_date__lte=as_of,
            )
            .exclude(pk__in=on_open_register)
            .order_by("archive_number")
        )
        register = DestructionRegister.objects.create(
            property=prop, as_of=as_of, proposed_by=actor
        )
        entries = [
            DestructionEntry(
                register=register, case=case, excluded_reason=exclusion_reason(case)
            )
            for case in due
        ]
        DestructionEntry.objects.bulk_create(entries)
        audit(
            actor=actor,
            action=AuditAction.DISPOSAL_PROPOSED,
            obj=register,
            cases=len(entries),
            excluded=sum(1 for entry in entries if entry.excluded_reason),
        )
    return register


def entry_keep_part(*, actor: User, entry: DestructionEntry, kept_note: str) -> None:
    """Mark a case for destruction in part, with a note of what is kept."""
    if entry.register.status != RegisterStatus.PENDING:
        raise RecordsError(RecordsErrorCode.WRONG_STATUS, "清册已批准，不能再修改")
    entry.kept_note = kept_note.strip()
    entry.save(update_fields=["kept_note"])


def register_approve(
    *, actor: User, register: DestructionRegister, reported_to: str = ""
) -> DestructionRegister:
    """The general manager approves the register (呈总经理核准)."""
    if not actor.has_perm(APPROVE_DESTRUCTION):
        raise RecordsError(RecordsErrorCode.NOT_PERMITTED, "销毁清册须由总经理批准")
    with transaction.atomic():
        register = DestructionRegister.objects.select_for_update().get(pk=register.pk)
        if register.status != RegisterStatus.PENDING:
            raise RecordsError(RecordsErrorCode.WRONG_STATUS, "该清册不在待批准状态")
        register.status = RegisterStatus.APPROVED
        register.approved_by = actor
        register.approved_at = timezone.now()
        register.reported_to = reported_to.strip()
        register.save(
            update_fields=["status", "approved_by", "approved_at", "reported_to"]
        )
        audit(
            actor=actor,
            action=AuditAction.DISPOSAL_APPROVED,
            obj=register,
            reported_to=register.reported_to,
        )
    return register


def register_execute(*, actor: User, register: DestructionRegister) -> int:
    """Destroy the included cases of an approved register; returns how many.

    A case put on loan or on hold since the register was drawn up is excluded now,
    with the reason. Content fields are cleared; the number, title and the date of
    destruction stay in the catalogue.
    """
    with transaction.atomic():
        register = DestructionRegister.objects.select_for_update().get(pk=register.pk)
        if register.status != RegisterStatus.APPROVED:
            raise RecordsError(
                RecordsErrorCode.NOT_APPROVED, "清册未经总经理批准，不能销毁"
            )
        today = register.property.today()
        destroyed = 0
        for entry in register.entries.select_related("case").filter(excluded_reason=""):
            case = Case.objects.select_for_update().get(pk=entry.case_id)
            reason = exclusion_reason(case)
            if reason:
                entry.excluded_reason = f"销毁时排除：{reason}"
                entry.save(update_fields=["excluded_reason"])
                continue
            _destroy(case, entry.kept_note, today)
            entry.destroyed_at = today
            entry.save(update_fields=["destroyed_at"])
            destroyed += 1
        register.status = RegisterStatus.EXECUTED
        register.executed_at = timezone.now()
        register.save(update_fields=["status", "executed_at"])
        audit(
            actor=actor,
            action=AuditAction.DISPOSAL_EXECUTED,
            obj=register,
            destroyed=destroyed,
        )
    return destroyed


def _destroy(case: Case, kept_note: str, today: date) -> None:
    case.destroyed_at = today
    if kept_note:
        case.status = CaseStatus.PARTLY_DESTROYED
        case.destruction_note = f"{today:%Y-%m-%d} 部分销毁；保留：{kept_note}"
    else:
        case.status = CaseStatus.DESTROYED
        case.destruction_note = f"{today:%Y-%m-%d} 销毁"
        case.summary = ""
        case.full_text = ""
        attachments_destroy(case=case, today=today)
    case.save(
        update_fields=[
            "destroyed_at",
            "status",
            "destruction_note",
            "summary",
            "full_text",
        ]
    )
