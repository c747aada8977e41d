"""An import run: the uploaded file, its mapping, the preview report and the outcome."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Property


class ImportKind(models.TextChoices):
    GUESTS = "guests", _("客人档案")
    STAYS = "stays", _("住店记录")
    BILLS = "bills", _("餐饮账单")
    RESTAURANT = "restaurant", _("餐厅收银导出（账单 + 明细）")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("已上传")
    PREVIEWED = "previewed", _("已预览")
    RUNNING = "running", _("导入中")
    COMMITTED = "committed", _("已导入")
    FAILED = "failed", _("失败")


class ImportJob(models.Model):
    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    lines_file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    lines_name = models.CharField(max_length=255, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default="uploaded"
    )
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("导入")
        verbose_name_plural = _("导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
