"""Profit per outlet, per dish and per guest: revenue, direct cost, contribution, net.

Cost is what a charge carries (the cost of each bill line); where it carries none, the
house's cost rate for the outlet and dish category (:class:`CostRate`) estimates it.
Net profit deducts the outlet's running-expense rate from the contribution
(边际贡献 = 收入 − 直接成本; 净利润 = 边际贡献 − 经营费用). All sums are made by the
database in fen; estimates are rounded to the fen per group, half up.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from dossier.analyses.charts import Chart
from dossier.analyses.reports import Period, Report, Section, share
from dossier.core.exports import Column, Kind, Table
from dossier.core.models import Property
from dossier.core.money import round_money
from dossier.guests.models import Guest
from dossier.history.models import BillLine, CostRate, Outlet, SpendLine

ZERO = Decimal("0.00")
TOP_GUESTS = 100
TOP_DISHES = 50
BASIS = Decimal(10_000)


@dataclass
class Money:
    revenue: Decimal = ZERO
    cost: Decimal = ZERO
    expense: Decimal = ZERO

    @property
    def contribution(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def net(self) -> Decimal:
        return self.contribution - self.expense

    def add(self, other: "Money") -> None:
        self.revenue += other.revenue
        self.cost += other.cost
        self.expense += other.expense


class Rates:
    """Cost and expense rates of a property, with outlet-wide fallbacks."""

    def __init__(self, prop: Property) -> None:
        self.by_key = {
            (outlet_id, category): (cost, expense)
            for outlet_id, category, cost, expense in CostRate.objects.filter(
                property=prop
            ).values_list("outlet_id", "category", "cost_bp", "expense_bp")
        }

    def cost(self, outlet_id: int, category: str, amount: Decimal) -> Decimal:
        found = self.by_key.get((outlet_id, category)) or self.by_key.get(
            (outlet_id, "")
        )
        return round_money(amount * found[0] / BASIS) if found else ZERO

    def expense(self, outlet_id: int, amount: Decimal) -> Decimal:
        """The outlet's running expenses on ``amount``; none where no rate is set."""
        found = self.by_key.get((outlet_id, ""))
        if found is None or found[1] is None:
            return ZERO
        return round_money(amount * found[1] / BASIS)


def _lines(prop: Property, period: Period) -> Any:
    # The bill's spend line carries its day in the property's time zone; a
    # cancelled bill has none.
    return BillLine.objects.filter(
        bill__property=prop,
        bill__spendline__date__gte=period.start,
        bill__spendline__date__lte=period.end,
    )


def _spend(prop: Property, period: Period) -> Any:
    return SpendLine.objects.filter(
        property=prop, date__gte=period.start, date__lte=period.end
    )


def _uncosted_estimates(
    prop: Property, period: Period, rates: Rates, by: str
) -> dict[tuple[Any, int], Decimal]:
    """Estimated cost of bill lines without a cost, per (``by``, outlet)."""
    rows = (
        _lines(prop, period)
        .filter(cost__isnull=True)
        .values(by, "bill__outlet_id", "dish__category")
        .annotate(sum_amount=Sum("amount"))
        .values_list(by, "bill__outlet_id", "dish__category", "sum_amount")
    )
    found: dict[tuple[Any, int], Decimal] = defaultdict(lambda: ZERO)
    for key, outlet_id, category, amount in rows:
        found[(key, outlet_id)] += rates.cost(outlet_id, category, amount)
    return found


def _by(prop: Property, period: Period, rates: Rates, by: str) -> dict[Any, Money]:
    """Revenue, cost and expense per ``by`` (``guest_id`` or ``outlet_id``)."""
    rows = (
        _spend(prop, period)
        .values(by, "outlet_id")
        .annotate(
            sum_revenue=Sum("revenue"),
            sum_cost=Sum("cost"),
            uncosted=Sum("revenue", filter=Q(bill__isnull=True, cost=0)),
        )
        .values_list(by, "outlet_id", "sum_revenue", "sum_cost", "uncosted")
    )
    estimates = _uncosted_estimates(
        prop, period, rates, "bill__guest_id" if by == "guest_id" else "bill__outlet_id"
    )
    found: dict[Any, Money] = defaultdict(Money)
    for key, outlet_id, revenue, cost, uncosted in rows:
        estimate = estimates.get((key, outlet_id), ZERO)
        if uncosted:
            estimate += rates.cost(outlet_id, "", uncosted)
        found[key].add(
            Money(revenue, cost + estimate, rates.expense(outlet_id, revenue))
        )
    return found


def _money_columns() -> list[Column]:
    return [
        Column(_("收入"), Kind.MONEY),
        Column(_("直接成本"), Kind.MONEY),
        Column(_("边际贡献"), Kind.MONEY),
        Column(_("贡献率"), Kind.PERCENT),
        Column(_("经营费用"), Kind.MONEY),
        Column(_("净利润"), Kind.MONEY),
    ]


def _money_cells(m: Money) -> list[Any]:
    rate = (
        (m.contribution * 100 / m.revenue).quantize(Decimal("0.01"))
        if m.revenue
        else ZERO
    )
    return [m.revenue, m.cost, m.contribution, rate, m.expense, m.net]


def outlet_section(prop: Property, period: Period, rates: Rates) -> Section:
    money = _by(prop, period, rates, "outlet_id")
    outlets = Outlet.objects.in_bulk(list(money))
    ordered = sorted(money.items(), key=lambda kv: -kv[1].revenue)
    rows = [[outlets[k].name, *_money_cells(m)] for k, m in ordered]
    total = Money()
    for m in money.values():
        total.add(m)
    rows.append([_("合计"), *_money_cells(total)])
    chart = Chart(
        title=_("各营业点收入与净利润"),
        labels=[outlets[k].name for k, _x in ordered],
        series=[
            (_("收入"), [m.revenue for _x, m in ordered]),
            (_("净利润"), [m.net for _x, m in ordered]),
        ],
        unit=_("元"),
    )
    table = Table(_("营业点利润"), [Column(_("营业点")), *_money_columns()], rows)
    return Section("outlets", _("按营业点"), table, chart)


def dish_section(prop: Property, period: Period, rates: Rates) -> Section:
    rows = (
        _lines(prop, period)
        .values("dish_id", "dish__name", "dish__category", "bill__outlet_id")
        .annotate(
            revenue=Sum("amount"),
            sum_quantity=Sum("quantity"),
            known=Sum("cost"),
            uncosted=Sum("amount", filter=Q(cost__isnull=True)),
        )
    )
    dishes: dict[int, tuple[str, str, Decimal, Money]] = {}
    for r in rows.iterator():
        cost = (r["known"] or ZERO) + rates.cost(
            r["bill__outlet_id"], r["dish__category"], r["uncosted"] or ZERO
        )
        name, category, qty, money = dishes.get(
            r["dish_id"], (r["dish__name"], r["dish__category"], ZERO, Money())
        )
        money.add(Money(r["revenue"], cost, rates.expense(r["bill__outlet_id"],
                                                           r["revenue"])))  # fmt: skip
        dishes[r["dish_id"]] = (name, category, qty + r["sum_quantity"], money)
    top = sorted(dishes.values(), key=lambda d: -d[3].contribution)[:TOP_DISHES]
    table = Table(
        _("菜品利润"),
        [
            Column(_("菜品")),
            Column(_("类别")),
            Column(_("数量"), Kind.DECIMAL),
            *_money_columns(),
        ],
        [[n, c, q.quantize(Decimal("0.01")), *_money_cells(m)] for n, c, q, m in top],
    )
    chart = Chart(
        title=_("边际贡献最高的 %(n)s 道菜") % {"n": min(10, len(top))},
        labels=[d[0] for d in top[:10]],
        series=[(_("边际贡献"), [d[3].contribution for d in top[:10]])],
        unit=_("元"),
    )
    return Section(
        "dishes", _("按菜品"), table, chart, note=_("前 %(n)s 道") % {"n": TOP_DISHES}
    )


def guest_section(prop: Property, period: Period, rates: Rates) -> Section:
    money = _by(prop, period, rates, "guest_id")
    top = sorted(money.items(), key=lambda kv: -kv[1].net)[:TOP_GUESTS]
    guests = Guest.objects.in_bulk([k for k, _x in top])
    rows = [
        [guests[k].full_name, guests[k].guest_class, *_money_cells(m)]
        for k, m in top
        if k in guests
    ]
    table = Table(
        _("客人利润"), [Column(_("客人")), Column(_("类别")), *_money_columns()], rows
    )
    return Section(
        "guests", _("按客人"), table, note=_("净利润前 %(n)s 位") % {"n": TOP_GUESTS}
    )


def profit_report(prop: Property, period: Period) -> Report:
    rates = Rates(prop)
    outlets = outlet_section(prop, period, rates)
    total = outlets.table.rows[-1]  # type: ignore[index]
    known = _spend(prop, period).aggregate(n=Sum("revenue"))["n"] or ZERO
    report = Report(
        slug="profit",
        title=_("利润分析"),
        period=period,
        sections=[
            outlets,
            dish_section(prop, period, rates),
            guest_section(prop, period, rates),
        ],
        figures=[
            (_("总收入"), total[1]),
            (_("边际贡献"), total[3]),
            (_("净利润"), total[6]),
            (_("贡献率"), f"{share(int(total[3] * 100), int(known * 100))}%"),
        ],
        note=_(
            "无成本的消费按各营业点（及菜品类别）设定的成本率估算；"
            "净利润 = 边际贡献 − 经营费用（按营业点费用率；未设定费用率的营业点不扣经营费用）。"
        ),
    )
    return report
