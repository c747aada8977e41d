"""Filing cases: intake check, numbering, following an earlier case, trash, holds.

Each function validates, writes, records the audit row, in one transaction; web views,
the API and commands all call them. Numbers come only from
:func:`dossier.records.allocator.number_allocate`.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.core.punctuation import punctuation
from dossier.records.allocator import number_allocate
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import (
    LOAN_OPEN_STATES,
    ArchiveClass,
    Case,
    CaseStatus,
    Hold,
    IntakeCheck,
    NumberTemplate,
    RetentionItem,
    ReturnSlip,
)
from dossier.records.retention import period_warning, retention_due

APPROVE_ORIGINAL_KEEP = "records.approve_original_keep"


@dataclass
class CaseDraft:
    """What a form, an API call or a batch gives to file one case."""

    archive_class: ArchiveClass
    title: str
    department: str
    # The document's own date; without one, today where the property is.
    doc_date: date | None = None
    # None is permanent; a retention item, when given, decides instead.
    retention_years: int | None = None
    retention_item: RetentionItem | None = None
    summary: str = ""
    full_text: str = ""
    item: int | None = None
    belongs_to: Case | None = None
    original_holder: str = ""
    original_approved_by: User | None = None


@dataclass
class IntakeInput:
    """The intake check (第二条 文件点收) as the archivist ticks it."""

    body_complete: bool = True
    attachments_complete: bool = True
    parts_removed: bool = False
    removal_signed_by_head: bool = False
    removal_signed_by_archivist: bool = False
    formalities_complete: bool = True
    unrelated_documents: str = ""

    def problems(self) -> list[str]:
        """Why the case goes back to its department; empty when it may be filed."""
        found = []
        if not self.body_complete:
            found.append("本文不完整，请补齐")
        if not self.attachments_complete:
            found.append("附件短少，请追查归入")
        if self.parts_removed and not (
            self.removal_signed_by_head and self.removal_signed_by_archivist
        ):
            found.append("文件有抽存，须经客户服务中心部门主管及档案专管签认")
        if not self.formalities_complete:
            found.append("处理手续不完备，请补办")
        return found


@dataclass
class FilingResult:
    case: Case
    slip: ReturnSlip | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def filed(self) -> bool:
        return self.case.status == CaseStatus.FILED


def template_default(prop: Property) -> NumberTemplate:
    """The property's default number template, the source's pattern on first use."""
    from dossier.records.allocator import DEFAULT_PATTERN

    found = NumberTemplate.objects.filter(property=prop, is_default=True).first()
    if found is not None:
        return found
    with transaction.atomic():
        found, _ = NumberTemplate.objects.get_or_create(
            property=prop,
            is_default=True,
            defaults={
                "name": "档号（部门-大类小类卷次-目次）",
                "pattern": DEFAULT_PATTERN,
            },
        )
    return found


# Bounds no real case exceeds; beyond them a value is a typing or program error.
TITLE_MAX, DEPARTMENT_MAX, SUMMARY_MAX = 300, 100, 20_000
RETENTION_YEARS_MAX = 100
DOC_DATE_MIN = date(1900, 1, 1)


def _check_sizes(draft: CaseDraft) -> None:
    for name, limit in (
        ("title", TITLE_MAX),
        ("department", DEPARTMENT_MAX),
        ("summary", SUMMARY_MAX),
    ):
        if len(getattr(draft, name)) > limit:
            raise RecordsError(
                RecordsErrorCode.INVALID_VALUE,
                _("最多 %(limit)s 个字符") % {"limit": limit},
                field=name,
            )
    years = draft.retention_years
    if years is not None and not 1 <= years <= RETENTION_YEARS_MAX:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("应为 1 至 %(retention_years_max)s 年，或永久")
            % {"retention_years_max": RETENTION_YEARS_MAX},
            field="retention_years",
        )
    if draft.doc_date is not None and draft.doc_date < DOC_DATE_MIN:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("不能早于 %(doc_date_min)s") % {"doc_date_min": DOC_DATE_MIN},
            field="doc_date",
        )


def _check_draft(draft: CaseDraft, prop: Property) -> tuple[date, list[str]]:
    title = " ".join(draft.title.split())
    if not title:
        raise RecordsError(RecordsErrorCode.INVALID_VALUE, _("不能为空"), field="title")
    draft.title = title
    if not draft.department.strip():
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE, _("不能为空"), field="department"
        )
    _check_sizes(draft)
    # Read the class afresh: the caller's copy may predate a revision of the scheme.
    klass = ArchiveClass.objects.select_related("version").get(
        pk=draft.archive_class.pk
    )
    draft.archive_class = klass
    if (
        klass.version.property_id != prop.pk
        or not klass.version.is_current
        or klass.retired
    ):
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("%(full_code)s 不在现行分类方案中") % {"full_code": klass.full_code},
            field="archive_class",
        )
    if klass.children.exists():
        raise RecordsError(
            RecordsErrorCode.NOT_A_LEAF,
            _("%(full_code)s %(name)s 下还有小类，请选到最末一级")
            % {"full_code": klass.full_code, "name": klass.name},
            field="archive_class",
        )
    doc_date = draft.doc_date or prop.today()
    if doc_date > prop.today():
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("%(doc_date)s 晚于今天") % {"doc_date": doc_date},
            field="doc_date",
        )
    warnings = []
    if draft.retention_item is not None:
        item = draft.retention_item
        draft.retention_years = item.years
        warning = period_warning(
            record_type=item.record_type,
            years=item.years,
            minimum_years=item.minimum_years,
            minimum_permanent=item.minimum_permanent,
        )
        if warning:
            warnings.append(warning)
    if draft.original_holder:
        approver = draft.original_approved_by
        if approver is None or not approver.has_perm(APPROVE_ORIGINAL_KEEP):
            raise RecordsError(
                RecordsErrorCode.NOT_APPROVED,
                _("原稿由经办部门保管须经客户服务中心部门主管同意"),
                field="original_approved_by",
            )
    return doc_date, warnings


def _followed(case: Case) -> Case:
    """The case whose number a follower takes: the first of its chain."""
    while case.belongs_to is not None:
        case = case.belongs_to
    if case.status not in (CaseStatus.FILED, CaseStatus.PARTLY_DESTROYED):
        raise RecordsError(
            RecordsErrorCode.WRONG_STATUS,
            _("前案 %(value)s 未在档，不能归入")
            % {"value": case.archive_number or "#" + str(case.pk)},
            field="belongs_to",
        )
    return case


def _number(case: Case, draft: CaseDraft, actor: User) -> list[str]:
    """Give ``case`` its number: the earlier case's, or a new one from the allocator.

    A case that belongs to an earlier case joins it whole: number, folder, item and
    class, so the number keeps its meaning and both are seen by the same people.
    """
    if draft.belongs_to is not None:
        first = _followed(Case.objects.get(pk=draft.belongs_to.pk))
        case.belongs_to = first
        case.archive_class = first.archive_class
        case.archive_number, case.item, case.folder = (
            first.archive_number,
            first.item,
            first.folder,
        )
        return []
    allocation = number_allocate(
        template=template_default(case.property),
        archive_class=case.archive_class,
        doc_date=case.doc_date,
        retention_years=case.retention_years,
        item=draft.item,
    )
    case.archive_number = allocation.number
    case.item = allocation.item
    case.folder = allocation.folder
    return [allocation.warning] if allocation.warning else []


def _intake(
    case: Case, intake: IntakeInput, actor: User
) -> tuple[IntakeCheck, ReturnSlip | None]:
    problems = intake.problems()
    check = IntakeCheck.objects.create(
        case=case,
        body_complete=intake.body_complete,
        attachments_complete=intake.attachments_complete,
        parts_removed=intake.parts_removed,
        removal_signed_by_head=intake.removal_signed_by_head,
        removal_signed_by_archivist=intake.removal_signed_by_archivist,
        formalities_complete=intake.formalities_complete,
        unrelated_documents=intake.unrelated_documents.strip(),
        passed=not problems,
        checked_by=actor,
    )
    reasons = list(problems)
    if intake.unrelated_documents.strip():
        reasons.append(f"与本案无关、退回的文件：{intake.unrelated_documents.strip()}")
    slip = None
    if reasons:
        slip = ReturnSlip.objects.create(
            case=case,
            intake_check=check,
            department=case.department,
            reasons=reasons,
        )
    return check, slip


def case_file(*, actor: User, draft: CaseDraft, intake: IntakeInput) -> FilingResult:
    """Check a case in (点收) and, if it passes, file and number it.

    A failed check keeps the case as returned, without a number, with a return slip
    to its department; unrelated papers get a slip even when the case is filed.
    """
    prop = draft.archive_class.version.property
    doc_date, warnings = _check_draft(draft, prop)
    passed = not intake.problems()

    with transaction.atomic():
        case = Case(
            property=prop,
            archive_class=draft.archive_class,
            title=draft.title,
            department=draft.department.strip(),
            doc_date=doc_date,
            summary=draft.summary,
            full_text=draft.full_text,
            retention_years=draft.retention_years,
            due_date=retention_due(doc_date, draft.retention_years),
            status=CaseStatus.FILED if passed else CaseStatus.RETURNED,
            copy_only=bool(draft.original_holder),
            original_holder=draft.original_holder,
            original_approved_by=draft.original_approved_by,
        )
        if passed:
            warnings += _number(case, draft, actor)
            case.filed_at = timezone.now()
            case.filed_by = actor
        case.save()
        _, slip = _intake(case, intake, actor)
        audit(
            actor=actor,
            action=AuditAction.CASE_FILED if passed else AuditAction.CASE_RETURNED,
            obj=case,
            archive_number=case.archive_number,
            reasons=slip.reasons if slip else [],
        )
    return FilingResult(case=case, slip=slip, warnings=warnings)


def case_refile(*, actor: User, case: Case, intake: IntakeInput) -> FilingResult:
    """Check a returned case in again once its department has put it right."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.RETURNED:
            raise RecordsError(RecordsErrorCode.WRONG_STATUS, _("该案件不在退回状态"))
        _x, slip = _intake(case, intake, actor)
        warnings: list[str] = []
        if not intake.problems():
            draft = CaseDraft(
                archive_class=case.archive_class,
                title=case.title,
                department=case.department,
            )
            warnings = _number(case, draft, actor)
            case.status = CaseStatus.FILED
            case.filed_at = timezone.now()
            case.filed_by = actor
            case.save()
            open_slips = case.slips.filter(resolved_at__isnull=True)
            if slip is not None:
                open_slips = open_slips.exclude(pk=slip.pk)
            open_slips.update(resolved_at=timezone.now())
        audit(
            actor=actor,
            action=AuditAction.CASE_FILED
            if case.status == CaseStatus.FILED
            else AuditAction.CASE_RETURNED,
            obj=case,
            archive_number=case.archive_number,
        )
    return FilingResult(case=case, slip=slip, warnings=warnings)


@dataclass
class BatchResult:
    filed: list[FilingResult] = field(default_factory=list)
    returned: list[FilingResult] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


# A list's row has no form beside it: its refusal names the field as the form labels it.
BATCH_LABELS = {
    "title": gettext_lazy("题名"),
    "department": gettext_lazy("经办部门"),
    "doc_date": gettext_lazy("文件日期"),
    "archive_class": gettext_lazy("类别"),
    "retention_years": gettext_lazy("保管期限"),
}


def _refusal_named(error: RecordsError) -> str:
    label = BATCH_LABELS.get(error.field)
    if label is None:
        return error.message
    return f"{label}{punctuation('：')}{error.message}"


def cases_file_batch(
    *, actor: User, items: list[tuple[CaseDraft, IntakeInput]]
) -> BatchResult:
    """File each case on its own: one refused case does not stop the others.

    ``refused`` holds the position (from 1) and the reason of each refused case.
    """
    result = BatchResult()
    for position, (draft, intake) in enumerate(items, start=1):
        try:
            filing = case_file(actor=actor, draft=draft, intake=intake)
        except RecordsError as error:
            result.refused.append((position, _refusal_named(error)))
            continue
        (result.filed if filing.filed else result.returned).append(filing)
    return result


def case_trash(*, actor: User, case: Case, reason: str = "") -> Case:
    """Move a filed case to the trash; it keeps its number, which is never reused."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.FILED:
            raise RecordsError(
                RecordsErrorCode.WRONG_STATUS, _("只有在档的案件可以移入回收站")
            )
        if case.loans.filter(state__in=LOAN_OPEN_STATES).exists():
            raise RecordsError(
                RecordsErrorCode.ON_LOAN,
                _("案件借出中或有待办的借出申请，不能移入回收站"),
            )
        followers = case.followers.filter(status=CaseStatus.FILED).count()
        if followers:
            # Its number would stay in use by papers that belong to a case in the trash.
            raise RecordsError(
                RecordsErrorCode.WRONG_STATUS,
                _("有 %(n)s 件后续文件沿用本档号，请先将它们移入回收站")
                % {"n": followers},
            )
        case.status = CaseStatus.TRASHED
        case.trashed_at = timezone.now()
        case.save(update_fields=["status", "trashed_at"])
        audit(actor=actor, action=AuditAction.CASE_TRASHED, obj=case, reason=reason)
    return case


def case_restore(*, actor: User, case: Case) -> Case:
    """Bring a case back from the trash with the number it had."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.TRASHED:
            raise RecordsError(RecordsErrorCode.WRONG_STATUS, _("该案件不在回收站"))
        case.status = CaseStatus.FILED
        case.trashed_at = None
        case.save(update_fields=["status", "trashed_at"])
        audit(
            actor=actor,
            action=AuditAction.CASE_RESTORED,
            obj=case,
            archive_number=case.archive_number,
        )
    return case


def original_return(*, actor: User, case: Case) -> Case:
    """The department brings the original back; the archive gives the copy back."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not case.copy_only:
            raise RecordsError(RecordsErrorCode.WRONG_STATUS, _("档案室已存原稿"))
        case.copy_only = False
        case.original_returned_at = timezone.now()
        case.save(update_fields=["copy_only", "original_returned_at"])
        audit(
            actor=actor,
            action=AuditAction.ORIGINAL_RETURNED,
            obj=case,
            holder=case.original_holder,
        )
    return case


def retention_item_set(
    *, actor: User, item: RetentionItem, years: int | None
) -> tuple[RetentionItem, str]:
    """Change the period of a schedule line; the warning says if it is below the law."""
    if years is not None and not 1 <= years <= 100:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("保管期限须为 1–100 年或永久"),
            field="years",
        )
    with transaction.atomic():
        before = item.years
        item.years = years
        item.save(update_fields=["years"])
        warning = period_warning(
            record_type=item.record_type,
            years=years,
            minimum_years=item.minimum_years,
            minimum_permanent=item.minimum_permanent,
        )
        audit(
            actor=actor,
            action=AuditAction.RETENTION_CHANGED,
            obj=item,
            before=before,
            after=years,
            warning=warning,
        )
    return item, warning


def hold_place(*, actor: User, case: Case, authority: str, reason: str) -> Hold:
    """Hold a case (unsettled matter, litigation, audit): it is not destroyed."""
    if not authority.strip() or not reason.strip():
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("保全须写明依据/机关和原因"),
            field="authority",
        )
    if case.status in (CaseStatus.DESTROYED, CaseStatus.RETURNED):
        raise RecordsError(
            RecordsErrorCode.WRONG_STATUS,
            _("案件%(status)s，档案室没有可保全的原件")
            % {"status": case.get_status_display()},
        )
    with transaction.atomic():
        hold = Hold.objects.create(
            case=case,
            authority=authority.strip(),
            reason=reason.strip(),
            placed_by=actor,
        )
        audit(
            actor=actor,
            action=AuditAction.HOLD_PLACED,
            obj=case,
            hold=hold.pk,
            authority=hold.authority,
            reason=hold.reason,
        )
    return hold


def hold_release(*, actor: User, hold: Hold, reason: str) -> Hold:
    """Release a hold; who, when and why are written to the audit log."""
    if not reason.strip():
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE, _("解除保全须写明原因"), field="reason"
        )
    with transaction.atomic():
        hold = Hold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise RecordsError(RecordsErrorCode.WRONG_STATUS, _("该保全已解除"))
        hold.released_by = actor
        hold.released_at = timezone.now()
        hold.release_reason = reason.strip()
        hold.save(update_fields=["released_by", "released_at", "release_reason"])
        audit(
            actor=actor,
            action=AuditAction.HOLD_RELEASED,
            obj=hold.case,
            hold=hold.pk,
            authority=hold.authority,
            reason=hold.release_reason,
        )
    return hold
