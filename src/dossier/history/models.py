"""Stays, bills, dishes and spend lines. Money is exact: integer fen underneath."""

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Property
from dossier.core.money import MoneyField
from dossier.guests.models import Company, Guest


class OutletKind(models.TextChoices):
    ROOMS = "rooms", _("客房")
    FOOD_BEVERAGE = "fnb", _("餐饮")
    SPA = "spa", _("康体")
    OTHER = "other", _("其他")


class Outlet(models.Model):
    """A place that charges: the rooms, a restaurant, the spa."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    code = models.SlugField(max_length=32)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(max_length=8, choices=OutletKind.choices)

    class Meta:
        verbose_name = _("营业点")
        verbose_name_plural = _("营业点")
        constraints = [
            models.UniqueConstraint(fields=["property", "code"], name="outlet_code")
        ]

    def __str__(self) -> str:
        return self.name


class StayStatus(models.TextChoices):
    RESERVED = "reserved", _("预订")
    IN_HOUSE = "in_house", _("在住")
    CHECKED_OUT = "checked_out", _("已离店")
    CANCELLED = "cancelled", _("已取消")
    NO_SHOW = "no_show", _("未到")


class Stay(models.Model):
    """One stay (or booking) of a guest."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="stays")
    company = models.ForeignKey(
        Company, on_delete=models.SET_NULL, null=True, blank=True, related_name="stays"
    )
    external_ref = models.CharField(_("单号"), max_length=64, blank=True)
    room = models.CharField(_("房号"), max_length=16, blank=True, db_index=True)
    room_type = models.CharField(_("房型"), max_length=40, blank=True)
    rate = MoneyField(_("房价"), null=True, blank=True)
    arrival = models.DateField(_("到店日期"))
    departure = models.DateField(_("离店日期"))
    nights = models.PositiveSmallIntegerField(_("间夜"), default=0)
    adults = models.PositiveSmallIntegerField(_("成人"), default=1)
    children = models.PositiveSmallIntegerField(_("儿童"), default=0)
    companions = models.CharField(_("同行人"), max_length=200, blank=True)
    payment_method = models.CharField(_("付款方式"), max_length=60, blank=True)
    segment = models.CharField(_("客源"), max_length=60, blank=True)
    channel = models.CharField(_("渠道"), max_length=60, blank=True)
    meal_plan = models.CharField(_("餐食"), max_length=20, blank=True)
    special_requests = models.TextField(_("特殊要求"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=StayStatus.choices, default="checked_out"
    )

    class Meta:
        verbose_name = _("住店记录")
        verbose_name_plural = _("住店记录")
        ordering = ["-arrival", "-id"]
        indexes = [
            models.Index(fields=["guest", "-arrival"]),
            models.Index(fields=["property", "arrival"]),
            models.Index(fields=["property", "room", "-arrival"]),
            # The start of room numbers (T47: T4701…) as LIKE 'T47%' on PostgreSQL,
            # whatever the database's collation; other databases ignore the classes.
            models.Index(
                fields=["property", "room"],
                name="stay_room_prefix",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            # Guests in house, counted on every dashboard.
            models.Index(fields=["property", "status", "guest"], name="stay_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="stay_external_ref",
            ),
            models.CheckConstraint(
                condition=models.Q(departure__gte=models.F("arrival")),
                name="stay_departs_after_arrival",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guest} {self.arrival}–{self.departure} {self.room}"


class Dish(models.Model):
    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    name = models.CharField(_("菜名"), max_length=100)
    category = models.CharField(_("类别"), max_length=60, blank=True)
    external_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("菜品")
        verbose_name_plural = _("菜品")
        constraints = [
            models.UniqueConstraint(fields=["property", "name"], name="dish_name")
        ]

    def __str__(self) -> str:
        return self.name


class BillStatus(models.TextChoices):
    SETTLED = "settled", _("已结账")
    OPEN = "open", _("未结账")
    CANCELLED = "cancelled", _("已取消")


class Bill(models.Model):
    """A dining bill with its lines; a cancelled bill counts toward no spend."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="bills")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT)
    external_ref = models.CharField(_("单号"), max_length=64, blank=True)
    table = models.CharField(_("台号"), max_length=20, blank=True)
    covers = models.PositiveSmallIntegerField(_("人数"), default=1)
    opened_at = models.DateTimeField(_("开台时间"))
    closed_at = models.DateTimeField(_("结账时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=BillStatus.choices, default="settled"
    )
    total = MoneyField(_("消费金额"), default=0)
    payable = MoneyField(_("应付金额"), default=0)
    phone_used = models.CharField(_("登记电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("餐饮账单")
        verbose_name_plural = _("餐饮账单")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["guest", "-opened_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="bill_external_ref",
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_ref or self.pk} {self.guest}"


class DishRating(models.TextChoices):
    LIKED = "liked", _("喜欢")
    DISLIKED = "disliked", _("不喜欢")
    LEFT_OVER = "left_over", _("剩余较多")
    NONE = "", _("未评价")


class BillLine(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lines")
    dish = models.ForeignKey(Dish, on_delete=models.PROTECT)
    quantity = models.DecimalField(_("数量"), max_digits=8, decimal_places=2, default=1)
    unit_price = MoneyField(_("单价"))
    amount = MoneyField(_("金额"))
    cost = MoneyField(_("成本"), null=True, blank=True)
    ordered_at = models.DateTimeField(null=True, blank=True)
    rating = models.CharField(
        _("评价"), max_length=10, choices=DishRating.choices, blank=True
    )
    rating_note = models.CharField(_("评价说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("账单明细")
        verbose_name_plural = _("账单明细")

    def __str__(self) -> str:
        return f"{self.dish} × {self.quantity}"


class SpendLine(models.Model):
    """Every charge by outlet, with revenue and cost, for margin and profit."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="spend")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT)
    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, null=True, blank=True)
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, null=True, blank=True)
    date = models.DateField(_("日期"))
    description = models.CharField(_("项目"), max_length=200, blank=True)
    revenue = MoneyField(_("收入"))
    cost = MoneyField(_("成本"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("消费明细")
        verbose_name_plural = _("消费明细")
        indexes = [
            models.Index(fields=["guest", "date"]),
            models.Index(fields=["property", "date"]),
        ]
        permissions = [("view_spend", _("查看收入与利润"))]

    def __str__(self) -> str:
        return f"{self.date} {self.outlet} {self.revenue}"


class CostRate(models.Model):
    """The house's cost rate where a charge carries no cost of its own.

    POS exports often give prices but no cost; the house then states, per outlet and
    optionally per dish category, what share of revenue is direct cost and what share
    goes to the outlet's running expenses. Rates are basis points (1/100 of a percent)
    so that every estimated cost stays an exact number of fen.
    """

    property = models.ForeignKey(Property, on_delete=models.CASCADE)
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="rates")
    category = models.CharField(
        _("菜品类别"), max_length=60, blank=True, help_text=_("留空表示整个营业点")
    )
    cost_bp = models.PositiveIntegerField(_("直接成本率（万分比）"))
    # None: no expense rate set; net profit then deducts no running expenses.
    expense_bp = models.PositiveIntegerField(
        _("经营费用率（万分比）"), null=True, blank=True, default=None
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("成本率")
        verbose_name_plural = _("成本率")
        constraints = [
            models.UniqueConstraint(
                fields=["outlet", "category"], name="cost_rate_outlet_category"
            ),
            models.CheckConstraint(
                condition=models.Q(cost_bp__lte=10000)
                & models.Q(expense_bp__lte=10000),
                name="cost_rate_at_most_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outlet} {self.category or '*'} {self.cost_percent()}%"

    def cost_percent(self) -> Decimal:
        return (Decimal(self.cost_bp) / 100).quantize(Decimal("0.01"))

    def expense_percent(self) -> Decimal | None:
        """The expense rate in percent, or None where none was set."""
        if self.expense_bp is None:
            return None
        return (Decimal(self.expense_bp) / 100).quantize(Decimal("0.01"))
