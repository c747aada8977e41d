"""Tasks of care: call this guest, send a birthday card, ask for feedback."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.guests.models import Guest


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待办")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class Task(models.Model):
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("事项"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.CharField(_("部门"), max_length=16, blank=True)
    due = models.DateField(_("截止日期"))
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default="open")
    outcome = models.TextField(_("结果"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["guest", "status", "due"])]

    def __str__(self) -> str:
        return self.title


class ConsentChannel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")


class ConsentPurpose(models.TextChoices):
    SERVICE = "service", _("服务通知")
    MARKETING = "marketing", _("营销推广")


class Consent(models.Model):
    """One consent or opt-out of a guest for a channel and purpose; never edited.

    The guest's state for a channel and purpose is the latest record (by ``at``, then
    id); no record means nobody asked.
    """

    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("渠道"), max_length=8, choices=ConsentChannel.choices)
    purpose = models.CharField(_("用途"), max_length=10, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("同意"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    source = models.CharField(_("来源"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("授权记录")
        verbose_name_plural = _("授权记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["guest", "channel", "purpose", "-at"])]

    def __str__(self) -> str:
        state = "同意" if self.granted else "退订"
        return f"{self.get_channel_display()}/{self.get_purpose_display()}: {state}"
