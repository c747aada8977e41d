"""Banquet menus (宴会菜单) kept in a guest's or company's archive, judged dish by dish."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Property
from dossier.core.money import MoneyField
from dossier.guests.models import Company, Guest
from dossier.history.models import Dish, DishRating, Outlet


class DishIngredients(models.Model):
    """The ingredients and allergens a dish declares, matched against taboos."""

    dish = models.OneToOneField(
        Dish, on_delete=models.CASCADE, related_name="ingredients"
    )
    tags = models.JSONField(_("配料与过敏原"), default=list, blank=True)

    class Meta:
        verbose_name = _("菜品配料")
        verbose_name_plural = _("菜品配料")

    def __str__(self) -> str:
        return f"{self.dish}: {'、'.join(self.tags)}"


class BanquetMenu(models.Model):
    """The menu of one event, attached to a guest or to a company."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    guest = models.ForeignKey(
        Guest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="banquet_menus",
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="banquet_menus",
    )
    event_date = models.DateField(_("宴会日期"))
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("餐厅")
    )
    occasion = models.CharField(_("宴会主题"), max_length=100)
    tables = models.PositiveSmallIntegerField(_("桌数"), default=1)
    covers = models.PositiveSmallIntegerField(_("人数"), default=0)
    price_per_table = MoneyField(_("每桌价格"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("宴会菜单")
        verbose_name_plural = _("宴会菜单")
        ordering = ["-event_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(guest__isnull=False, company__isnull=True)
                    | models.Q(guest__isnull=True, company__isnull=False)
                ),
                name="banquet_menu_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_date} {self.occasion}"


class MenuDish(models.Model):
    """A dish on a menu and, after the event, how it was received."""

    menu = models.ForeignKey(
        BanquetMenu, on_delete=models.CASCADE, related_name="dishes"
    )
    dish = models.ForeignKey(Dish, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)
    evaluation = models.CharField(
        _("评价"), max_length=10, choices=DishRating.choices, blank=True
    )
    evaluation_note = models.CharField(_("评价说明"), max_length=200, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("宴会菜品")
        verbose_name_plural = _("宴会菜品")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["menu", "dish"], name="menu_dish_once")
        ]

    def __str__(self) -> str:
        return str(self.dish)
