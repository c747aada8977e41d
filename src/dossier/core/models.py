"""Properties, staff profiles, API tokens and the append-only audit log."""

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Department(models.TextChoices):
    FRONT_OFFICE = "front_office", _("前厅部")
    HOUSEKEEPING = "housekeeping", _("客房部")
    FOOD_BEVERAGE = "fnb", _("餐饮部")
    MARKETING = "marketing", _("营销部")
    MANAGEMENT = "management", _("管理层")
    ARCHIVE = "archive", _("客户服务中心（档案）")
    ADMINISTRATION = "admin", _("系统管理")


class PropertyKind(models.TextChoices):
    HOTEL = "hotel", _("酒店")
    RESTAURANT = "restaurant", _("餐厅")


class Property(models.Model):
    """A hotel or restaurant; every guest, stay and bill belongs to one."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(
        _("类型"), max_length=16, choices=PropertyKind.choices, default="hotel"
    )
    time_zone = models.CharField(_("时区"), max_length=64, default="Asia/Shanghai")
    is_default = models.BooleanField(_("默认"), default=False)
    prefer_titles = models.BooleanField(
        _("称呼优先用职务"),
        default=True,
        help_text=_("设置职务的客人称呼为“张总”“李经理”，而不是“张先生”。"),
    )
    latin_honorific = models.CharField(
        _("外文姓名称呼"),
        max_length=2,
        choices=[("zh", "Martin 女士"), ("en", "Ms Martin")],
        default="zh",
    )

    class Meta:
        verbose_name = _("门店")
        verbose_name_plural = _("门店")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_property",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def today(self) -> Any:
        """Today's date where the property is, never the UTC date."""
        return timezone.now().astimezone(self.zone).date()


class StaffProfile(models.Model):
    """What Dossier knows of a user beyond the login: department and property."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff"
    )
    department = models.CharField(
        _("部门"), max_length=16, choices=Department.choices, blank=True
    )
    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("员工资料")
        verbose_name_plural = _("员工资料")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_department_display()})"


class ApiToken(models.Model):
    """A bearer token for an integration (PMS, POS) acting as a user."""

    name = models.CharField(_("名称"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEvent(models.Model):
    """One row of the append-only audit log: who did what to which object, when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=48, db_index=True)
    object_type = models.CharField(max_length=48)
    object_id = models.CharField(max_length=64)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("audit events are append-only")
