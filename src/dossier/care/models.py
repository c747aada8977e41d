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
