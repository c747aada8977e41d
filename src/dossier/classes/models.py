"""A/B/C classes: the house's policy, each guest's current class and its history."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.classes.reasons import reason_known, reason_text
from dossier.core.models import Property
from dossier.core.money import MoneyField
from dossier.guests.models import Guest


class CustomerClass(models.TextChoices):
    A = "A", _("A 类")
    B = "B", _("B 类")
    C = "C", _("C 类")


class ChangeKind(models.TextChoices):
    COMPUTED = "computed", _("按消费重算")
    PINNED = "pinned", _("人工指定")
    UNPINNED = "unpinned", _("取消指定")


class ClassPolicy(models.Model):
    """The thresholds a property sets: spend in yuan over the last ``window_days``."""

    property = models.OneToOneField(
        Property, on_delete=models.CASCADE, related_name="class_policy"
    )
    a_min_spend = MoneyField(_("A 类年消费下限"), default=Decimal("50000.00"))
    b_min_spend = MoneyField(_("B 类年消费下限"), default=Decimal("10000.00"))
    a_min_visits = models.PositiveIntegerField(
        _("A 类年消费次数下限"), default=0, help_text=_("0 表示不限")
    )
    b_min_visits = models.PositiveIntegerField(
        _("B 类年消费次数下限"),
        default=0,
        help_text=_("消费次数达到此数即至少为 B 类（常客）；0 表示不用此规则"),
    )
    company_is_b = models.BooleanField(
        _("协议单位客人至少为 B 类"),
        default=True,
        help_text=_("档案关联了单位（公司、机关）的客人至少为 B 类"),
    )
    window_days = models.PositiveIntegerField(_("统计天数"), default=365)
    recomputed_on = models.DateField(_("上次重算日期"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("分级规则")
        verbose_name_plural = _("分级规则")
        permissions = [("recompute_classes", _("重算客户分级"))]

    def __str__(self) -> str:
        return str(self.property)


class GuestClass(models.Model):
    """A guest's current class; pinned classes are left alone by recomputation."""

    guest = models.OneToOneField(
        Guest, on_delete=models.CASCADE, primary_key=True, related_name="customer_class"
    )
    klass = models.CharField(_("分级"), max_length=1, choices=CustomerClass.choices)
    annual_spend = MoneyField(_("近一年消费"), default=Decimal("0.00"))
    visits = models.PositiveIntegerField(_("近一年消费次数"), default=0)
    computed_on = models.DateField(_("计算日期"), null=True, blank=True)
    pinned = models.BooleanField(_("人工指定"), default=False)
    pin_reason = models.CharField(_("指定原因"), max_length=200, blank=True)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("客户分级")
        verbose_name_plural = _("客户分级")
        indexes = [models.Index(fields=["klass"])]
        permissions = [("pin_guestclass", _("人工指定客户分级"))]

    def __str__(self) -> str:
        return f"{self.guest_id}: {self.klass}"


class ClassChange(models.Model):
    """One change of a guest's class, never edited: from, to, when and why."""

    guest = models.ForeignKey(
        Guest, on_delete=models.CASCADE, related_name="class_changes"
    )
    from_class = models.CharField(
        _("原分级"), max_length=1, blank=True, choices=CustomerClass.choices
    )
    to_class = models.CharField(
        _("新分级"), max_length=1, choices=CustomerClass.choices
    )
    on = models.DateField(_("生效日期"))
    kind = models.CharField(_("方式"), max_length=10, choices=ChangeKind.choices)
    reason = models.CharField(_("原因"), max_length=300)
    # A reason the figures gave is kept as a code and its numbers too, so that it is
    # worded in the reader's language (``reason_shown``); ``reason`` keeps it in the
    # house's language, and what staff typed as they typed it.
    reason_code = models.CharField(max_length=20, blank=True, default="")
    reason_args = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("分级变更")
        verbose_name_plural = _("分级变更")
        ordering = ["-on", "-id"]
        indexes = [
            models.Index(fields=["guest", "-on"]),
            models.Index(fields=["to_class", "on"]),
        ]

    def __str__(self) -> str:
        return f"{self.guest_id}: {self.from_class or '-'}→{self.to_class}"

    @property
    def reason_shown(self) -> str:
        """The reason in the active language: the figures worded now, typed text as
        typed (an older change without a code, as it was kept)."""
        if not reason_known(self.reason_code):
            return self.reason
        note = str(self.reason_args.get("note", ""))
        return reason_text(self.reason_code, self.reason_args, note=note)


class KeyGuestMeeting(models.Model):
    """The monthly marketing and F&B meeting on the key-guest list, with its minutes."""

    property = models.ForeignKey(Property, on_delete=models.CASCADE)
    month = models.DateField(_("月份"), help_text=_("该月 1 日"))
    held_on = models.DateField(_("会议日期"))
    attendees = models.CharField(_("参会人"), max_length=300, blank=True)
    minutes = models.TextField(_("会议纪要"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("重点客户例会")
        verbose_name_plural = _("重点客户例会")
        ordering = ["-month", "-id"]
        indexes = [models.Index(fields=["property", "-month"])]

    def __str__(self) -> str:
        return f"{self.property} {self.month:%Y-%m}"


class KeyGuestDecision(models.Model):
    """What the meeting decided for one guest, filed to the guest's profile."""

    meeting = models.ForeignKey(
        KeyGuestMeeting, on_delete=models.CASCADE, related_name="decisions"
    )
    guest = models.ForeignKey(
        Guest, on_delete=models.CASCADE, related_name="key_guest_decisions"
    )
    text = models.CharField(_("决定"), max_length=500)
    observation = models.ForeignKey(
        "guests.Observation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    task = models.ForeignKey(
        "care.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("例会决定")
        verbose_name_plural = _("例会决定")

    def __str__(self) -> str:
        return f"{self.guest_id}: {self.text[:20]}"
