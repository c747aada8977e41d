"""The document archive (文书档案): scheme, cases, folders, numbers, retention, loans.

A case is one filed document (一案); it is classified into a class of one version of
the classification scheme, numbered once by :mod:`dossier.records.allocator`, kept in a
folder (档夹) of a numbering sequence, and kept, lent, held and destroyed through
:mod:`dossier.records.services`. Nothing here is ever deleted: trashed and destroyed
cases keep their rows, so that their numbers are never made again.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Property


class ClassLevel(models.IntegerChoices):
    DEPARTMENT = 1, _("部门")
    MAJOR = 2, _("大类")
    MINOR = 3, _("小类")
    DETAIL = 4, _("细类")


class SchemeVersion(models.Model):
    """One version of a property's classification scheme (档案分类编号表)."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    number = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("名称"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    is_current = models.BooleanField(_("现行"), default=True)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("分类方案版本")
        verbose_name_plural = _("分类方案版本")
        constraints = [
            models.UniqueConstraint(
                fields=["property", "number"], name="records_scheme_version_number"
            ),
            models.UniqueConstraint(
                fields=["property"],
                condition=models.Q(is_current=True),
                name="records_one_current_scheme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class ArchiveClass(models.Model):
    """A class of the scheme: department, major, minor or detail, with its code."""

    version = models.ForeignKey(
        SchemeVersion, on_delete=models.PROTECT, related_name="classes"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("层级"), choices=ClassLevel.choices)
    code = models.CharField(_("代码"), max_length=8)
    # The codes of the path joined as printed: department, a dash, then the rest.
    full_code = models.CharField(_("完整代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=200)
    scope = models.TextField(_("归档范围"), blank=True)
    folder_capacity = models.PositiveSmallIntegerField(_("每卷件数"), default=50)
    retired = models.BooleanField(_("已停用"), default=False)

    class Meta:
        verbose_name = _("档案类别")
        verbose_name_plural = _("档案类别")
        ordering = ["version", "full_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "full_code"], name="records_class_code_in_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_code} {self.name}"

    def path(self) -> list["ArchiveClass"]:
        """This class and its ancestors, the department first."""
        chain: list[ArchiveClass] = []
        node: ArchiveClass | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class MappingKind(models.TextChoices):
    SAME = "same", _("不变")
    RENAMED = "renamed", _("改名")
    RECODED = "recoded", _("改号")
    RETIRED = "retired", _("停用")
    ADDED = "added", _("新增")


class ClassMapping(models.Model):
    """One row of the old→new table (新旧档案分类编号对照表) between two versions."""

    new_version = models.ForeignKey(
        SchemeVersion, on_delete=models.PROTECT, related_name="mappings"
    )
    old_class = models.ForeignKey(
        ArchiveClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mapped_to",
    )
    new_class = models.ForeignKey(
        ArchiveClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mapped_from",
    )
    kind = models.CharField(max_length=16, choices=MappingKind.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("新旧分类对照")
        verbose_name_plural = _("新旧分类对照")

    def __str__(self) -> str:
        return f"{self.old_class or '—'} → {self.new_class or '—'} ({self.kind})"


class NumberTemplate(models.Model):
    """How archive numbers look: a pattern of fields such as ``{dept:2}``."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    name = models.CharField(_("名称"), max_length=100)
    pattern = models.CharField(_("格式"), max_length=200)
    fonds_code = models.CharField(_("全宗号"), max_length=16, blank=True)
    category_code = models.CharField(_("门类代码"), max_length=8, default="WS")
    is_default = models.BooleanField(_("默认"), default=False)

    class Meta:
        verbose_name = _("档号格式")
        verbose_name_plural = _("档号格式")
        constraints = [
            models.UniqueConstraint(
                fields=["property"],
                condition=models.Q(is_default=True),
                name="records_one_default_template",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pattern})"


class NumberSequence(models.Model):
    """The counter of one sequence: a template and the fixed part of its numbers.

    The allocator locks this row to number a case, so that concurrent filings into
    the same sequence queue up instead of reading the same last number.
    """

    template = models.ForeignKey(NumberTemplate, on_delete=models.PROTECT)
    key = models.CharField(max_length=200)
    last_item = models.PositiveIntegerField(default=0)
    volume = models.PositiveIntegerField(default=1)
    in_volume = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["template", "key"], name="records_sequence_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.last_item}"


class Folder(models.Model):
    """One folder (档夹) of a sequence; a full folder is followed by the next volume."""

    sequence = models.ForeignKey(
        NumberSequence, on_delete=models.PROTECT, related_name="folders"
    )
    archive_class = models.ForeignKey(
        ArchiveClass, on_delete=models.PROTECT, related_name="folders"
    )
    volume = models.PositiveIntegerField(_("卷次"))
    capacity = models.PositiveSmallIntegerField(_("容量"))
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("档夹")
        verbose_name_plural = _("档夹")
        ordering = ["sequence", "volume"]
        constraints = [
            models.UniqueConstraint(
                fields=["sequence", "volume"], name="records_folder_volume"
            )
        ]

    def __str__(self) -> str:
        # "01-A1 第 1 卷", "01-A1 Volume 1": the volume as the folder page writes it.
        volume = gettext("第 %(v)s 卷") % {"v": self.volume}
        return f"{self.archive_class.full_code} {volume}"


class CaseStatus(models.TextChoices):
    RETURNED = "returned", _("已退回经办部门")
    FILED = "filed", _("已归档")
    TRASHED = "trashed", _("回收站")
    PARTLY_DESTROYED = "partly_destroyed", _("部分销毁")
    DESTROYED = "destroyed", _("已销毁")


class Case(models.Model):
    """One filed case (一案一号) with its archive number and retention."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    archive_class = models.ForeignKey(
        ArchiveClass, on_delete=models.PROTECT, related_name="cases"
    )
    folder = models.ForeignKey(
        Folder, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    belongs_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("归属前案"),
    )
    title = models.CharField(_("题名"), max_length=300)
    department = models.CharField(_("经办部门"), max_length=100)
    doc_date = models.DateField(_("文件日期"))
    summary = models.TextField(_("内容摘要"), blank=True)
    full_text = models.TextField(_("全文"), blank=True)
    retention_years = models.PositiveSmallIntegerField(
        _("保管期限（年）"), null=True, blank=True, help_text=_("空为永久")
    )
    due_date = models.DateField(_("期满日期"), null=True, blank=True)
    archive_number = models.CharField(_("档号"), max_length=80, blank=True)
    item = models.PositiveIntegerField(_("目次"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default="filed"
    )
    copy_only = models.BooleanField(_("仅存影本"), default=False)
    original_holder = models.CharField(_("原稿保管部门"), max_length=100, blank=True)
    original_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    original_returned_at = models.DateTimeField(null=True, blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    trashed_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateField(_("销毁日期"), null=True, blank=True)
    destruction_note = models.TextField(_("销毁附注"), blank=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["archive_number", "pk"]
        constraints = [
            # One case one number: only cases that follow an earlier case share it.
            models.UniqueConstraint(
                fields=["property", "archive_number"],
                condition=models.Q(belongs_to__isnull=True)
                & ~models.Q(archive_number=""),
                name="records_unique_archive_number",
            )
        ]
        permissions = [
            ("file_case", "归档、编号"),
            ("lend_case", "办理借出与归还"),
            ("approve_loan", "批准借出原件"),
            ("approve_original_keep", "批准经办部门保管原稿"),
            ("place_hold", "设置与解除保全"),
            ("propose_disposal", "编制销毁清册"),
            ("approve_destruction", "批准销毁"),
        ]

    def __str__(self) -> str:
        return f"{self.archive_number or '—'} {self.title}"


class IntakeCheck(models.Model):
    """The intake check (点收) of one hand-over of a case from its department."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="checks")
    body_complete = models.BooleanField(_("本文齐全"))
    attachments_complete = models.BooleanField(_("附件齐全"))
    parts_removed = models.BooleanField(_("有抽存"), default=False)
    removal_signed_by_head = models.BooleanField(_("抽存经部门主管签认"), default=False)
    removal_signed_by_archivist = models.BooleanField(
        _("抽存经档案专管签认"), default=False
    )
    formalities_complete = models.BooleanField(_("处理手续完备"))
    unrelated_documents = models.TextField(_("退回的无关文件"), blank=True)
    passed = models.BooleanField(_("通过"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("点收记录")
        verbose_name_plural = _("点收记录")

    def __str__(self) -> str:
        return f"点收 #{self.case_id} {'通过' if self.passed else '退回'}"


class ReturnSlip(models.Model):
    """A slip sending a case (or unrelated papers) back to its department."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="slips")
    intake_check = models.ForeignKey(IntakeCheck, on_delete=models.PROTECT)
    department = models.CharField(_("退回部门"), max_length=100)
    reasons = models.JSONField(_("原因"), default=list)
    issued_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("退件单")
        verbose_name_plural = _("退件单")

    def __str__(self) -> str:
        return f"退件单 #{self.case_id} → {self.department}"


class Hold(models.Model):
    """A hold (保全) that keeps a case from destruction until it is released."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="holds")
    authority = models.CharField(_("依据/机关"), max_length=200)
    reason = models.TextField(_("原因"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("保全")
        verbose_name_plural = _("保全")

    def __str__(self) -> str:
        return f"保全 #{self.case_id}: {self.authority}"


class LoanState(models.TextChoices):
    REQUESTED = "requested", _("待批准")
    APPROVED = "approved", _("已批准，待出库")
    OUT = "out", _("借出中")
    REFUSED = "refused", _("未获批准")
    WITHDRAWN = "withdrawn", _("已撤回")
    RETURNED = "returned", _("已归还")


# A requested or approved loan already reserves the original.
LOAN_OPEN_STATES = (LoanState.REQUESTED, LoanState.APPROVED, LoanState.OUT)


class Loan(models.Model):
    """The sign-out of an original (借出); only one may be open per case.

    A loan is requested by the archivist, approved or refused by the approver it names
    and only then handed out; while requested or approved it reserves the original.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="loans")
    state = models.CharField(
        _("状态"), max_length=16, choices=LoanState.choices, default="requested"
    )
    # A user who may see the case, or a person named with their department (a
    # colleague without an account, or one the case's class is not open to).
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    borrower_name = models.CharField(_("借阅人姓名"), max_length=60, blank=True)
    borrower_department = models.CharField(_("借阅人部门"), max_length=60, blank=True)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    due_date = models.DateField(_("应还日期"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(_("不批准的理由"), max_length=300, blank=True)
    withdrawal_reason = models.CharField(_("撤回的理由"), max_length=300, blank=True)
    # Set when the archivist recorded an approval given on paper, not the approver.
    approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    out_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_complete = models.BooleanField(null=True)
    return_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("借出")
        verbose_name_plural = _("借出")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(state__in=["requested", "approved", "out"]),
                name="records_one_open_loan",
            ),
            models.CheckConstraint(
                condition=models.Q(borrower__isnull=False)
                | ~models.Q(borrower_name=""),
                name="records_loan_names_its_borrower",
            ),
        ]

    def __str__(self) -> str:
        return f"借出 #{self.case_id} → {self.due_date}"


class ReminderRole(models.TextChoices):
    BORROWER = "borrower", _("借阅人")
    ARCHIVIST = "archivist", _("档案专管")


class LoanReminder(models.Model):
    """An in-app notice that a loan is overdue (催还), once per loan and recipient."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("身份"), max_length=16, choices=ReminderRole.choices)
    message = models.CharField(_("内容"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    emailed = models.BooleanField(_("已发邮件"), default=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("催还提醒")
        verbose_name_plural = _("催还提醒")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "recipient"], name="records_one_reminder_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"催还 #{self.loan_id} → {self.recipient_id}"


class LoanNoticeKind(models.TextChoices):
    APPROVAL = "approval", _("借出申请待批准")
    EXPIRED = "expired", _("借出申请逾期未批，已撤回")


class LoanNotice(models.Model):
    """A notice about a loan request to one person, once per loan, person and kind.

    The approver is told of a request to approve; when nobody approves it in time,
    the borrower (or, for a borrower without an account, the archivist who asked) is
    told it was withdrawn. Each is shown in the product and e-mailed where there is an
    address.
    """

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="notices")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=LoanNoticeKind.choices)
    message = models.CharField(_("内容"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    emailed = models.BooleanField(_("已发邮件"), default=False)

    class Meta:
        verbose_name = _("借出通知")
        verbose_name_plural = _("借出通知")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "recipient", "kind"],
                name="records_one_loan_notice_per_kind",
            )
        ]
        indexes = [models.Index(fields=["recipient", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.loan_id} → {self.recipient_id}"


class RegisterStatus(models.TextChoices):
    PENDING = "pending", _("待总经理批准")
    APPROVED = "approved", _("已批准")
    EXECUTED = "executed", _("已销毁")


class DestructionRegister(models.Model):
    """A destruction register (销毁清册); kept forever, never deleted."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    as_of = models.DateField(_("截止日期"))
    status = models.CharField(
        max_length=16, choices=RegisterStatus.choices, default="pending"
    )
    # Empty for the register the yearly run draws up on 1 January.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    reported_to = models.CharField(_("报备机关"), max_length=200, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    # The user who carried out the destruction, and the witnesses (监销人) by name.
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    witnesses = models.CharField(_("监销人"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("销毁清册")
        verbose_name_plural = _("销毁清册")

    def __str__(self) -> str:
        return f"销毁清册 #{self.pk} ({self.as_of})"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("destruction registers are kept forever")


class DestructionEntry(models.Model):
    """One case on a register: to destroy (in whole or part) or excluded, and why."""

    register = models.ForeignKey(
        DestructionRegister, on_delete=models.PROTECT, related_name="entries"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    excluded_reason = models.CharField(_("排除原因"), max_length=300, blank=True)
    destroyed_part = models.TextField(_("销毁部分"), blank=True)
    kept_note = models.TextField(_("保留部分"), blank=True)
    destroyed_at = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["register", "case__archive_number"]

    def __str__(self) -> str:
        return f"清册 #{self.register_id} 案件 #{self.case_id}"

    @property
    def included(self) -> bool:
        return not self.excluded_reason


class RetentionSchedule(models.Model):
    """A retention schedule (保管期限表) of a property: the periods it may assign."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    name = models.CharField(_("名称"), max_length=200)
    preset = models.CharField(_("来源"), max_length=32, blank=True)
    is_default = models.BooleanField(_("默认"), default=False)

    class Meta:
        verbose_name = _("保管期限表")
        verbose_name_plural = _("保管期限表")

    def __str__(self) -> str:
        return self.name


class RetentionItem(models.Model):
    """One line of a schedule: what is kept, for how long, and the legal minimum."""

    schedule = models.ForeignKey(
        RetentionSchedule, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(default=0)
    archive_class = models.ForeignKey(
        ArchiveClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retention_items",
    )
    group = models.CharField(_("类目"), max_length=100, blank=True)
    record_type = models.CharField(_("文件"), max_length=300)
    # None is permanent (永久).
    years = models.PositiveSmallIntegerField(_("年限"), null=True, blank=True)
    minimum_years = models.PositiveSmallIntegerField(
        _("法定最低年限"), null=True, blank=True
    )
    minimum_permanent = models.BooleanField(_("法定永久"), default=False)
    note = models.CharField(_("附注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("保管期限条目")
        verbose_name_plural = _("保管期限条目")
        ordering = ["schedule", "position"]

    def __str__(self) -> str:
        return f"{self.record_type}: {self.years or '永久'}"


class ClassAccess(models.Model):
    """A role allowed to see the cases of a restricted class and of its sub-classes.

    A class without any row is open to everyone who may see the archive; once a class
    has rows, only members of those groups (and superusers) see its cases.
    """

    archive_class = models.ForeignKey(
        ArchiveClass, on_delete=models.CASCADE, related_name="access"
    )
    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("类别查阅范围")
        verbose_name_plural = _("类别查阅范围")
        constraints = [
            models.UniqueConstraint(
                fields=["archive_class", "group"], name="records_class_access_once"
            )
        ]
        permissions = [("restrict_class", "设置类别查阅范围")]

    def __str__(self) -> str:
        return f"{self.archive_class_id} → {self.group_id}"


class Attachment(models.Model):
    """A digital file of a case (电子附件); each upload of it is a new version."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The text of the current version, kept for full-text search and the text preview.
    text = models.TextField(_("全文"), blank=True)
    destroyed_at = models.DateField(_("销毁日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("电子附件")
        verbose_name_plural = _("电子附件")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.name


class AttachmentVersion(models.Model):
    """One stored upload of an attachment, with the checksum taken while it arrived."""

    attachment = models.ForeignKey(
        Attachment, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本"))
    original_name = models.CharField(_("上传文件名"), max_length=200)
    # Relative to MEDIA_ROOT; made by the product, never from the uploaded name.
    stored_path = models.CharField(max_length=200, blank=True)
    preview_path = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("附件版本")
        verbose_name_plural = _("附件版本")
        ordering = ["attachment", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["attachment", "number"], name="records_attachment_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.number}"


class AttachmentKey(models.Model):
    """A search key of the current text of an attachment: a two-character word or a term."""

    attachment = models.ForeignKey(
        Attachment, on_delete=models.CASCADE, related_name="keys"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(
                fields=["key", "case"],
                name="records_attachment_key",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            )
        ]

    def __str__(self) -> str:
        return self.key
