"""Disposal (档卷清理): the destruction register, its approval, and destruction.

Once a year, and on demand, the cases past retention are proposed in a register;
cases on loan or on hold are listed as excluded with the reason. Nothing is destroyed
before the general manager approves (a permission); a pending register stays pending.
Destruction clears the content, writes the date into the catalogue, and the register
is kept for ever. A case can be destroyed in part, with a note of what was kept.
"""

import re
import unicodedata
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.core.people import staff_name
from dossier.core.punctuation import punctuation
from dossier.records.attachments import attachments_destroy
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.loans import borrower_label
from dossier.records.models import (
    LOAN_OPEN_STATES,
    Case,
    CaseStatus,
    DestructionEntry,
    DestructionRegister,
    Hold,
    Loan,
    LoanState,
    RegisterStatus,
)

APPROVE_DESTRUCTION = "records.approve_destruction"


def exclusion_reason(case: Case) -> str:
    """Why ``case`` may not be destroyed now (on loan, on hold), or an empty string.

    The papers filed later under its number count too: they go with it.
    """
    whole = [case.pk, *_followers(case).values_list("pk", flat=True)]
    reasons = []
    loans = (
        Loan.objects.select_related("borrower")
        .filter(case_id__in=whole, state__in=LOAN_OPEN_STATES)
        .order_by("pk")
    )
    # The reason is kept in the register in Chinese, as the register is written;
    # exclusion_text() gives it in the reader's language.
    with translation.override("zh-hans"):
        for loan in loans:
            reasons.append(
                f"{_LOAN_REASONS[loan.state]}：{borrower_label(loan)}，"
                f"应还 {loan.due_date:%Y-%m-%d}"
            )
    holds = Hold.objects.filter(case_id__in=whole, released_at__isnull=True)
    for hold in holds.order_by("pk"):
        reasons.append(f"{_HOLD_REASON}：{hold.authority}，{hold.reason}")
    return "；".join(reasons)


# What keeps a case from destruction, as the register writes it, and as the reader
# reads it (the msgids are the same words).
_LOAN_REASONS: dict[str, str] = {
    LoanState.REQUESTED: "借出申请待批准",
    LoanState.APPROVED: "借出申请已批准，待出库",
    LoanState.OUT: "借出中",
}
_HOLD_REASON = "保全中"
_AT_DESTRUCTION = "销毁时排除"
_READER = {
    "借出申请待批准": gettext_lazy("借出申请待批准"),
    "借出申请已批准，待出库": gettext_lazy("借出申请已批准，待出库"),
    "借出中": gettext_lazy("借出中"),
}
_LOAN_REASON = re.compile(
    "^(" + "|".join(map(re.escape, _LOAN_REASONS.values())) + ")："
    r"(.*)，应还 (\d{4}-\d{2}-\d{2})$"
)
_BORROWER = re.compile(r"^(.+)（([^（）]+)）$")
_NEXT_REASON = re.compile(
    "；(?=" + "|".join(map(re.escape, [*_LOAN_REASONS.values(), _HOLD_REASON])) + ")"
)


def exclusion_text(stored: str) -> str:
    """A register's reason for leaving a case out, in the reader's language.

    The words the register itself wrote are translated and punctuated as the
    language writes; the names, authorities and reasons staff typed stay as typed.
    """
    if stored.startswith(_AT_DESTRUCTION + "："):
        rest = stored.removeprefix(_AT_DESTRUCTION + "：")
        return _("销毁时排除") + punctuation("：") + exclusion_text(rest)
    return punctuation("；").join(
        _reason_text(part) for part in _NEXT_REASON.split(stored)
    )


def _reason_text(part: str) -> str:
    if loan := _LOAN_REASON.match(part):
        state, borrower, due = loan.groups()
        if named := _BORROWER.match(borrower):
            name, department = named.groups()
            borrower = name + punctuation("（") + department + punctuation("）")
        return (
            str(_READER[state])
            + punctuation("：")
            + borrower
            + punctuation("，")
            + _("应还 %(date)s") % {"date": due}
        )
    if part.startswith(_HOLD_REASON + "："):
        authority, comma, reason = part.removeprefix(_HOLD_REASON + "：").partition(
            "，"
        )
        return _("保全中") + punctuation("：") + authority + punctuation(comma) + reason
    return part


def _followers(case: Case) -> QuerySet[Case]:
    """The cases filed later under ``case``'s number, still in the archive."""
    return case.followers.filter(status__in=[CaseStatus.FILED, CaseStatus.TRASHED])


def register_propose(
    *, actor: User | None, prop: Property, as_of: date | None = None
) -> DestructionRegister:
    """Draw up a register of the cases due by ``as_of`` (today where the property is).

    Cases already on a register that has not been carried out are left out. ``actor``
    is None for the yearly run.
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
        found = [(case, exclusion_reason(case)) for case in due]
        if not found:
            raise RecordsError(
                RecordsErrorCode.NOTHING_DUE,
                _("截至 %(as_of)s 没有保管期满、尚未列入清册的案件，未编制清册")
                % {"as_of": f"{as_of:%Y-%m-%d}"},
            )
        if all(reason for _x, reason in found):
            raise RecordsError(
                RecordsErrorCode.NOTHING_DUE,
                _(
                    "截至 %(as_of)s 期满的 %(count)s 件案件都在借出或保全中，没有可销毁的案件，未编制清册"
                )
                % {"as_of": f"{as_of:%Y-%m-%d}", "count": len(found)},
            )
        register = DestructionRegister.objects.create(
            property=prop, as_of=as_of, proposed_by=actor
        )
        entries = [
            DestructionEntry(register=register, case=case, excluded_reason=reason)
            for case, reason in found
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


def disposal_propose_yearly(*, prop: Property, on: date) -> DestructionRegister | None:
    """The yearly register (每年清理): the cases of ``prop`` due by ``on``.

    Run by the daily job on 1 January. Nothing due is no error: it returns None. A
    register still pending from an earlier year is left as it is; its cases are not
    proposed again.
    """
    try:
        return register_propose(actor=None, prop=prop, as_of=on)
    except RecordsError as error:
        if error.code == RecordsErrorCode.NOTHING_DUE:
            return None
        raise


PART_MAX = 2000


def entry_keep_part(
    *,
    actor: User,
    entry: DestructionEntry,
    kept_note: str,
    destroyed_part: str = "",
) -> DestructionEntry:
    """Destroy a case in part: what goes, and what is kept under its number.

    Both empty puts the case back to destruction in whole. A part destroyed without
    a note of what is kept is refused: a partial destruction must say what remains.
    """
    kept, destroyed = kept_note.strip(), destroyed_part.strip()
    for name, text in (("kept_note", kept), ("destroyed_part", destroyed)):
        if len(text) > PART_MAX:
            raise RecordsError(
                RecordsErrorCode.INVALID_VALUE,
                _("最多 %(part_max)s 个字符") % {"part_max": PART_MAX},
                field=name,
            )
    if destroyed and not kept:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("部分销毁须写明保留的部分；全部销毁请两栏都留空"),
            field="kept_note",
        )
    with transaction.atomic():
        entry = DestructionEntry.objects.select_for_update().get(pk=entry.pk)
        register = entry.register
        if register.status != RegisterStatus.PENDING:
            raise RecordsError(
                RecordsErrorCode.WRONG_STATUS,
                _("清册第 %(pk)s 号%(status)s，不能再修改")
                % {"pk": register.pk, "status": register.get_status_display()},
            )
        if entry.excluded_reason:
            raise RecordsError(
                RecordsErrorCode.WRONG_STATUS,
                _(
                    "案件 %(archive_number)s 已排除（%(excluded_reason)s），不在本次销毁之列"
                )
                % {
                    "archive_number": entry.case.archive_number,
                    "excluded_reason": exclusion_text(entry.excluded_reason),
                },
            )
        before = {"kept": entry.kept_note, "destroyed": entry.destroyed_part}
        entry.kept_note, entry.destroyed_part = kept, destroyed
        entry.save(update_fields=["kept_note", "destroyed_part"])
        audit(
            actor=actor,
            action=AuditAction.DISPOSAL_PROPOSED,
            obj=register,
            case=entry.case_id,
            before=before,
            kept=kept,
            destroyed=destroyed,
        )
    return entry


def register_approve(
    *, actor: User, register: DestructionRegister, reported_to: str = ""
) -> DestructionRegister:
    """The general manager approves the register (呈总经理核准)."""
    if not actor.has_perm(APPROVE_DESTRUCTION):
        raise RecordsError(RecordsErrorCode.NOT_PERMITTED, _("销毁清册须由总经理批准"))
    with transaction.atomic():
        register = DestructionRegister.objects.select_for_update().get(pk=register.pk)
        if register.status != RegisterStatus.PENDING:
            raise RecordsError(RecordsErrorCode.WRONG_STATUS, _("该清册不在待批准状态"))
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


# The register's column for the witnesses' names, joined by 、.
WITNESSES_LENGTH = 200


def _witness_names(witnesses: str) -> list[str]:
    return [name for name in re.split(r"[,，、;；\s]+", witnesses) if name]


def _check_execution(
    register: DestructionRegister, actor: User, confirmation: str, names: list[str]
) -> None:
    """Destruction cannot be undone: the register's number typed back, a witness."""
    typed = unicodedata.normalize("NFKC", confirmation).strip().lstrip("#")
    if typed != str(register.pk):
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("请输入清册号 %(pk)s 以确认销毁；销毁后不能恢复") % {"pk": register.pk},
            field="confirmation",
        )
    if not names:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("请写明监销人（在场监督销毁的人）"),
            field="witnesses",
        )
    if len("、".join(names)) > WITNESSES_LENGTH:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("最多 %(limit)s 字") % {"limit": WITNESSES_LENGTH},
            field="witnesses",
        )
    if {staff_name(actor), actor.get_username()} & set(names):
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("%(person_name)s 是销毁执行人，不能兼任监销人")
            % {"person_name": staff_name(actor)},
            field="witnesses",
        )


def register_execute(
    *,
    actor: User,
    register: DestructionRegister,
    confirmation: str,
    witnesses: str,
) -> int:
    """Destroy the included cases of an approved register; returns how many.

    ``confirmation`` must be the register's number, typed back by the executor, and
    ``witnesses`` names the 监销人 (one or more, not the executor); both are recorded
    on the register with the executor. A case put on loan or on hold since the
    register was drawn up is excluded now, with the reason. Content fields are
    cleared; the number, title and the date of destruction stay in the catalogue.
    """
    names = _witness_names(witnesses)
    with transaction.atomic():
        register = DestructionRegister.objects.select_for_update().get(pk=register.pk)
        if register.status == RegisterStatus.EXECUTED:
            done = register.executed_at
            when = f"{done.astimezone(register.property.zone):%Y-%m-%d}" if done else ""
            raise RecordsError(
                RecordsErrorCode.WRONG_STATUS,
                _("清册第 %(pk)s 号已于 %(when)s 执行销毁，不能重复执行")
                % {"pk": register.pk, "when": when},
            )
        if register.status != RegisterStatus.APPROVED:
            raise RecordsError(
                RecordsErrorCode.NOT_APPROVED, _("清册未经总经理批准，不能销毁")
            )
        _check_execution(register, actor, confirmation, names)
        today = register.property.today()
        destroyed = 0
        for entry in register.entries.select_related("case").filter(excluded_reason=""):
            case = Case.objects.select_for_update().get(pk=entry.case_id)
            reason = exclusion_reason(case)
            if reason:
                entry.excluded_reason = f"{_AT_DESTRUCTION}：{reason}"
                entry.save(update_fields=["excluded_reason"])
                continue
            _destroy(case, entry, today)
            entry.destroyed_at = today
            entry.save(update_fields=["destroyed_at"])
            destroyed += 1
        register.status = RegisterStatus.EXECUTED
        register.executed_at = timezone.now()
        register.executed_by = actor
        register.witnesses = "、".join(names)
        register.save(
            update_fields=["status", "executed_at", "executed_by", "witnesses"]
        )
        audit(
            actor=actor,
            action=AuditAction.DISPOSAL_EXECUTED,
            obj=register,
            destroyed=destroyed,
            executed_by=actor.pk,
            witnesses=register.witnesses,
        )
    return destroyed


def _destroy(case: Case, entry: DestructionEntry, today: date) -> None:
    """Destroy ``case`` as its entry says; a partly destroyed case keeps its content.

    The kept part stays filed under the same number, in the same folder and item, with
    its summary; the note in the catalogue says what went and what stayed.
    """
    case.destroyed_at = today
    if entry.kept_note:
        case.status = CaseStatus.PARTLY_DESTROYED
        gone = f"销毁：{entry.destroyed_part}；" if entry.destroyed_part else ""
        case.destruction_note = (
            f"{today:%Y-%m-%d} 部分销毁（清册第 {entry.register_id} 号）；"
            f"{gone}保留：{entry.kept_note}"
        )
    else:
        case.status = CaseStatus.DESTROYED
        case.destruction_note = (
            f"{today:%Y-%m-%d} 销毁（清册第 {entry.register_id} 号）"
        )
        case.summary = ""
        case.full_text = ""
        attachments_destroy(case=case, today=today)
        for follower in _followers(case).select_for_update():
            _destroy_follower(follower, entry, today)
    case.save(
        update_fields=[
            "destroyed_at",
            "status",
            "destruction_note",
            "summary",
            "full_text",
        ]
    )


def _destroy_follower(case: Case, entry: DestructionEntry, today: date) -> None:
    """A paper filed under the destroyed case's number goes with it."""
    case.destroyed_at = today
    case.status = CaseStatus.DESTROYED
    case.destruction_note = (
        f"{today:%Y-%m-%d} 随前案 {case.archive_number} 销毁"
        f"（清册第 {entry.register_id} 号）"
    )
    case.summary = ""
    case.full_text = ""
    case.trashed_at = None
    attachments_destroy(case=case, today=today)
    case.save(
        update_fields=[
            "destroyed_at",
            "status",
            "destruction_note",
            "summary",
            "full_text",
            "trashed_at",
        ]
    )
