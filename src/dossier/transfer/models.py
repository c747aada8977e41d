"""Sending files (传送档案): what was sent, by whom, and each recipient's copy.

A transfer points at one item (a case, an attachment or a guest card) and never
copies its content: what a recipient sees is read when they open it, with their own
rights at that moment.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Property
from dossier.guests.models import Guest
from dossier.records.models import Attachment, Case


class ItemKind(models.TextChoices):
    CASE = "case", _("案件")
    ATTACHMENT = "attachment", _("电子附件")
    GUEST = "guest", _("客史档案卡")


class TargetKind(models.TextChoices):
    USER = "user", _("同事")
    DEPARTMENT = "department", _("部门")
    SELF = "self", _("自己")


class Transfer(models.Model):
    """One send of one item to a colleague, a department or oneself, with a note."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ItemKind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attachment = models.ForeignKey(
        Attachment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(
        Guest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_kind = models.CharField(
        _("发送给"), max_length=16, choices=TargetKind.choices
    )
    # The username or department code as the sender chose it.
    target = models.CharField(_("收件人"), max_length=150, blank=True)
    note = models.TextField(_("附言"), blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("传送")
        verbose_name_plural = _("传送")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="case",
                        case__isnull=False,
                        attachment__isnull=True,
                        guest__isnull=True,
                    )
                    | models.Q(
                        kind="attachment",
                        case__isnull=True,
                        attachment__isnull=False,
                        guest__isnull=True,
                    )
                    | models.Q(
                        kind="guest",
                        case__isnull=True,
                        attachment__isnull=True,
                        guest__isnull=False,
                    )
                ),
                name="transfer_one_item",
            )
        ]

    def __str__(self) -> str:
        return f"传送 #{self.pk} {self.kind}"


class Delivery(models.Model):
    """A transfer in one recipient's inbox, unread until they open it."""

    transfer = models.ForeignKey(
        Transfer, on_delete=models.PROTECT, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    delivered_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("收件")
        verbose_name_plural = _("收件")
        constraints = [
            models.UniqueConstraint(
                fields=["transfer", "recipient"], name="transfer_deliver_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-delivered_at"], name="transfer_inbox_order"
            )
        ]

    def __str__(self) -> str:
        return f"收件 #{self.pk} → {self.recipient_id}"
