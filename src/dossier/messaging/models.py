"""Messages sent to guests (SMS, e-mail) and the replies that come back."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.core.money import MoneyField
from dossier.guests.models import Guest
from dossier.zh.phones import mask_e164


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class Purpose(models.TextChoices):
    SERVICE = "service", _("服务通知")
    MARKETING = "marketing", _("营销推广")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("发送失败")
    REJECTED = "rejected", _("被拒绝")


class Message(models.Model):
    """One message to one address; its idempotency key makes a second send a no-op.

    The key names what the message is for (``birthday:<special date>:<date>``), so a
    job that runs twice, or on two workers, finds the first message and sends nothing.
    """

    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices)
    to = models.CharField(_("收件人"), max_length=254)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    guest = models.ForeignKey(
        Guest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=MessageStatus.choices,
        default=MessageStatus.QUEUED,
    )
    idempotency_key = models.CharField(_("幂等键"), max_length=200, unique=True)
    parts = models.PositiveSmallIntegerField(_("条数"), default=1)
    cost = MoneyField(_("费用"), default=0)
    provider_id = models.CharField(_("服务商编号"), max_length=100, blank=True)
    error_code = models.CharField(_("错误代码"), max_length=50, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    attempted_at = models.DateTimeField(_("尝试发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["provider_id"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to}: {self.get_status_display()}"

    @property
    def to_masked(self) -> str:
        """The address as lists show it: a phone masked as everywhere (138****8000)."""
        return mask_e164(self.to) if self.channel == Channel.SMS else self.to


class InboundMessage(models.Model):
    """A reply from a guest; an opt-out is recorded here too, already handled."""

    channel = models.CharField(
        _("渠道"), max_length=8, choices=Channel.choices, default=Channel.SMS
    )
    from_address = models.CharField(_("发件人"), max_length=254, db_index=True)
    body = models.TextField(_("内容"))
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    provider_id = models.CharField(_("服务商编号"), max_length=100, blank=True)
    is_opt_out = models.BooleanField(_("退订"), default=False)
    guest = models.ForeignKey(
        Guest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("收到的回复")
        verbose_name_plural = _("收到的回复")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_id"],
                condition=~models.Q(provider_id=""),
                name="inbound_once_per_provider_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.body[:20]}"
