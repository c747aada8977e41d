"""Personnel files the archive keeps, their sign-out cases (提档) and receipt reminders."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Property


class FileStatus(models.TextChoices):
    IN_ARCHIVE = "in_archive", _("在库")
    SIGNED_OUT = "signed_out", _("已提档，待回执")
    TRANSFERRED = "transferred", _("已转出")


class PersonnelFile(models.Model):
    """The personnel file of one employee; the ID number is sealed and found by hash."""

    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, related_name="personnel_files"
    )
    file_number = models.CharField(_("档案编号"), max_length=32)
    employee_name = models.CharField(_("姓名"), max_length=100)
    id_number_sealed = models.TextField()
    id_number_index = models.CharField(max_length=64, db_index=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=40)
    department = models.CharField(_("部门"), max_length=100, blank=True)
    position = models.CharField(_("岗位"), max_length=100, blank=True)
    hired_on = models.DateField(_("入职日期"), null=True, blank=True)
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    graduated_on = models.DateField(
        _("毕业日期"),
        null=True,
        blank=True,
        help_text=_("应届毕业生填写，用于判断是否在两年择业期内"),
    )
    location = models.CharField(_("存放位置"), max_length=100, blank=True)
    box = models.CharField(_("盒号"), max_length=32, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=FileStatus.choices,
        default=FileStatus.IN_ARCHIVE,
    )
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("人事档案")
        verbose_name_plural = _("人事档案")
        ordering = ["file_number", "id"]
        permissions = [
            ("view_full_id_number", _("查看人事档案完整身份证号")),
            ("sign_out_personnelfile", _("办理人事档案提档")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "file_number"], name="personnel_file_number_once"
            ),
            models.UniqueConstraint(
                fields=["property", "id_number_index"],
                condition=~models.Q(status="transferred"),
                name="personnel_one_file_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_number} {self.employee_name}"


class SignOutState(models.TextChoices):
    OPEN = "open", _("待核验材料")
    CHECKED = "checked", _("材料齐全，待交接")
    HANDED_OVER = "handed_over", _("已交接，待回执")
    CLOSED = "closed", _("回执已收，结案")
    CANCELLED = "cancelled", _("已撤销")


class RequesterKind(models.TextChoices):
    SELF = "self", _("本人提取")
    DELEGATE = "delegate", _("委托他人提取")


class GraduateKind(models.TextChoices):
    NONE = "none", _("非应届毕业生")
    WITHIN = "within", _("毕业生，两年择业期内")
    BEYOND = "beyond", _("毕业生，超过两年择业期")


class IssuerKind(models.TextChoices):
    PARTY_ORGANISATION = "party_organisation", _("县级以上党委组织部门")
    TALENT_SERVICE = "talent_service", _("政府所属人才流动服务机构")
    RECEIVING_UNIT = "receiving_unit", _("有人事管理权限的接收单位")
    PERSONNEL_AGENCY = "personnel_agency", _("人才中心等人事代理机构")


class SignOut(models.Model):
    """One sign-out case: the situation, the documents seen, the handover, the receipt.

    A case becomes an entry of the sign-out register (提档簿) once its documents are
    complete; ``register_number`` is given then and never reused.
    """

    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, related_name="personnel_sign_outs"
    )
    file = models.ForeignKey(
        PersonnelFile, on_delete=models.PROTECT, related_name="sign_outs"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=SignOutState.choices, default="open"
    )
    requester_kind = models.CharField(
        _("提取方式"), max_length=10, choices=RequesterKind.choices
    )
    graduate = models.CharField(
        _("毕业生情形"), max_length=10, choices=GraduateKind.choices, default="none"
    )
    party_transfer = models.BooleanField(_("同时转移党组织关系"), default=False)

    register_year = models.PositiveIntegerField(null=True, blank=True)
    register_seq = models.PositiveIntegerField(null=True, blank=True)
    register_number = models.CharField(_("登记号"), max_length=20, blank=True)
    requester_name = models.CharField(_("提档人"), max_length=100, blank=True)
    requester_id_sealed = models.TextField(blank=True)
    requester_id_masked = models.CharField(
        _("提档人身份证号"), max_length=40, blank=True
    )
    requester_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    destination_unit = models.CharField(_("去向单位"), max_length=200, blank=True)
    destination_address = models.CharField(_("去向地址"), max_length=300, blank=True)
    letter_number = models.CharField(_("函件编号"), max_length=100, blank=True)
    issuer_kind = models.CharField(
        _("出函机构类别"), max_length=24, choices=IssuerKind.choices, blank=True
    )
    issuer_name = models.CharField(_("出函机构"), max_length=200, blank=True)
    party_letter_number = models.CharField(
        _("党组织关系介绍信编号"), max_length=100, blank=True
    )
    documents_seen = models.JSONField(_("已核验材料"), default=list, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    seal_intact = models.BooleanField(_("档案袋密封完好"), null=True)
    seam_stamp_intact = models.BooleanField(_("骑缝章完好"), null=True)
    registration_card_handed = models.BooleanField(_("报到证随档交付"), default=False)
    seal_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    seal_checked_at = models.DateTimeField(null=True, blank=True)
    acknowledged_name = models.CharField(_("签收人"), max_length=100, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    handed_over_on = models.DateField(_("交接日期"), null=True, blank=True)
    receipt_due = models.DateField(_("回执应到日期"), null=True, blank=True)

    receipt_received_on = models.DateField(_("回执收到日期"), null=True, blank=True)
    receipt_signed_by = models.CharField(
        _("接收单位经办人"), max_length=100, blank=True
    )
    receipt_note = models.TextField(_("回执备注"), blank=True)
    receipt_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    cancel_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("提档")
        verbose_name_plural = _("提档簿")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["file"],
                condition=models.Q(state__in=["open", "checked", "handed_over"]),
                name="personnel_one_open_sign_out",
            ),
            models.UniqueConstraint(
                fields=["property", "register_year", "register_seq"],
                name="personnel_register_number_once",
            ),
        ]
        indexes = [models.Index(fields=["property", "state", "receipt_due"])]

    def __str__(self) -> str:
        return f"{self.register_number or '#' + str(self.pk)} {self.file}"


class SignOutPolicy(models.Model):
    """How long a receiving unit has to send the receipt back, per property."""

    property = models.OneToOneField(
        Property, on_delete=models.CASCADE, related_name="personnel_policy"
    )
    receipt_days = models.PositiveIntegerField(_("回执期限（天）"), default=30)

    class Meta:
        verbose_name = _("提档规则")
        verbose_name_plural = _("提档规则")

    def __str__(self) -> str:
        return f"{self.property}: {self.receipt_days}"


class ReceiptReminder(models.Model):
    """A reminder to chase the receiving unit; at most one per sign-out."""

    sign_out = models.OneToOneField(
        SignOut, on_delete=models.CASCADE, related_name="reminder"
    )
    created_on = models.DateField(_("催办日期"))
    days_overdue = models.PositiveIntegerField(_("逾期天数"))
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("回执催办")
        verbose_name_plural = _("回执催办")

    def __str__(self) -> str:
        return f"{self.sign_out}: {self.created_on}"
