"""The collection regime (客户信息制度): quotas, checklists, self-registration forms."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Department, Property
from dossier.guests.models import Guest, PreferenceItem


class Rank(models.TextChoices):
    SENIOR = "senior", _("高层管理者")
    MIDDLE = "middle", _("中层管理者")
    STAFF = "staff", _("普通员工")
    EXEMPT = "exempt", _("不考核")


class Measure(models.TextChoices):
    CONTACTS = "contacts", _("接触客人（人）")
    OBSERVATIONS = "observations", _("客史信息（条）")


class Period(models.TextChoices):
    MONTH = "month", _("每月")
    DAY = "day", _("每天")


class Quota(models.Model):
    """What one rank must collect: at least ``target`` of ``measure`` each ``period``."""

    property = models.ForeignKey(Property, on_delete=models.CASCADE)
    rank = models.CharField(_("层级"), max_length=8, choices=Rank.choices)
    measure = models.CharField(_("考核内容"), max_length=14, choices=Measure.choices)
    period = models.CharField(_("周期"), max_length=6, choices=Period.choices)
    target = models.PositiveSmallIntegerField(_("最低数量"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("收集定额")
        verbose_name_plural = _("收集定额")
        constraints = [
            models.UniqueConstraint(fields=["property", "rank"], name="quota_per_rank")
        ]

    def __str__(self) -> str:
        return f"{self.get_rank_display()} {self.get_period_display()} ≥ {self.target}"


class CollectionSettings(models.Model):
    """Per property: which touchpoints count as meeting a guest in person."""

    property = models.OneToOneField(
        Property, on_delete=models.CASCADE, related_name="collection_settings"
    )
    contact_touchpoints = models.JSONField(_("计为接触客人的场合"), default=list)

    class Meta:
        verbose_name = _("资料收集设置")
        verbose_name_plural = _("资料收集设置")

    def __str__(self) -> str:
        return str(self.property)


class StaffRank(models.Model):
    """The rank a member of staff is held to; without a row it follows the department."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quota_rank"
    )
    rank = models.CharField(_("层级"), max_length=8, choices=Rank.choices)

    class Meta:
        verbose_name = _("考核层级")
        verbose_name_plural = _("考核层级")

    def __str__(self) -> str:
        return f"{self.user} {self.get_rank_display()}"


class ValueKind(models.TextChoices):
    CHOICE = "choice", _("选项")
    NUMBER = "number", _("数值")
    TEXT = "text", _("文字")


class ChecklistItem(models.Model):
    """A prompt of what to observe, for one department (G22)."""

    property = models.ForeignKey(Property, on_delete=models.CASCADE)
    department = models.CharField(_("部门"), max_length=16, choices=Department.choices)
    label = models.CharField(_("观察要点"), max_length=60)
    hint = models.CharField(_("提示"), max_length=200, blank=True)
    kind = models.CharField(_("记录方式"), max_length=8, choices=ValueKind.choices)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    unit = models.CharField(_("单位"), max_length=12, blank=True)
    item = models.ForeignKey(
        PreferenceItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("对应偏好项目"),
        help_text=_("审核确认后写入客人偏好"),
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("观察要点")
        verbose_name_plural = _("观察要点")
        ordering = ["department", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "department", "label"], name="checklist_label"
            )
        ]

    def __str__(self) -> str:
        return self.label


class RegistrationKind(models.TextChoices):
    CARD = "card", _("客人资料登记卡")
    VIP = "vip", _("VIP 入会表")


class RegistrationLink(models.Model):
    """A public link a guest opens on their phone to fill in a card; no login."""

    property = models.ForeignKey(Property, on_delete=models.CASCADE)
    kind = models.CharField(_("表格"), max_length=4, choices=RegistrationKind.choices)
    token = models.CharField(max_length=43, unique=True)
    label = models.CharField(_("用途"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("登记链接")
        verbose_name_plural = _("登记链接")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}"

    def is_open(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已建档")
    REJECTED = "rejected", _("已退回")


class Registration(models.Model):
    """A filled-in card waiting for staff to confirm it into a profile."""

    property = models.ForeignKey(Property, on_delete=models.CASCADE)
    kind = models.CharField(_("表格"), max_length=4, choices=RegistrationKind.choices)
    link = models.ForeignKey(
        RegistrationLink, on_delete=models.SET_NULL, null=True, blank=True
    )
    full_name = models.CharField(_("姓名"), max_length=100)
    mobile = models.CharField(_("手机"), max_length=20)
    mobile_raw = models.CharField(max_length=40)
    birth_date = models.DateField(_("生日"), null=True, blank=True)
    gender = models.CharField(_("性别"), max_length=1, blank=True)
    id_number_sealed = models.TextField(blank=True)
    id_number_masked = models.CharField(_("证件号码"), max_length=40, blank=True)
    company = models.CharField(_("单位"), max_length=200, blank=True)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    email = models.EmailField(_("电子邮件"), blank=True)
    preferences = models.TextField(_("偏好与禁忌"), blank=True)
    marketing_channels = models.JSONField(_("同意接收推广的渠道"), default=list)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        max_length=10, choices=RegistrationStatus.choices, default="pending"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    guest = models.ForeignKey(
        Guest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("客人登记")
        verbose_name_plural = _("客人登记")
        ordering = ["-submitted_at", "-id"]
        permissions = [("confirm_registration", _("确认客人登记"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.full_name}"
