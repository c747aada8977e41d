"""Profit per outlet, dish and guest with costs carried and costs estimated."""

from decimal import Decimal

import pytest

from dossier.analyses.profit import profit_report
from dossier.analyses.reports import period_parse
from dossier.history.costs import CostRateError, cost_rate_set
from dossier.history.models import Outlet

D = Decimal


def year(prop):
    return period_parse("", "", today=prop.today())


def test_outlet_profit_uses_line_costs_then_category_then_outlet_rates(
    prop, archive, rates
):
    # when
    report = profit_report(prop, year(prop))

    # then: rooms 1376 at 20 % cost and 15 % expense; the restaurant 397 with
    # 3 × 0.80 carried, 388 of seafood at 55 %, expense 10 %
    rows = report.section("outlets").table.rows
    assert rows == [
        ["客房", D("1376.00"), D("275.20"), D("1100.80"), D("80.00"), D("206.40"),
         D("894.40")],
        ["中餐厅", D("397.00"), D("215.80"), D("181.20"), D("45.64"), D("39.70"),
         D("141.50")],
        ["合计", D("1773.00"), D("491.00"), D("1282.00"), D("72.31"), D("246.10"),
         D("1035.90")],
    ]  # fmt: skip


def test_dish_profit(prop, archive, rates):
    rows = profit_report(prop, year(prop)).section("dishes").table.rows

    assert rows == [
        ["清蒸石斑鱼", "海鲜", D("1.00"), D("388.00"), D("213.40"), D("174.60"),
         D("45.00"), D("38.80"), D("135.80")],
        ["米饭", "主食", D("3.00"), D("9.00"), D("2.40"), D("6.60"), D("73.33"),
         D("0.90"), D("5.70")],
    ]  # fmt: skip


def test_guest_profit_best_net_first(prop, archive, rates):
    rows = profit_report(prop, year(prop)).section("guests").table.rows

    assert [(r[0], r[2], r[-1]) for r in rows] == [
        ("李大方", D("1767.00"), D("1032.10")),
        ("王常来", D("6.00"), D("3.80")),
    ]


def test_without_rates_uncosted_charges_cost_nothing(prop, archive):
    rows = profit_report(prop, year(prop)).section("outlets").table.rows

    assert rows[-1][1:3] == [D("1773.00"), D("2.40")]


@pytest.mark.parametrize(
    ("cost", "expense", "message"),
    [("101", "0", "成本率应在 0 至 100 之间"), ("abc", "0", "成本率“abc”不是数字"),
     ("35.555", "0", "成本率最多两位小数"), ("60", "50", "成本率与费用率之和不能超过 100%")],
)  # fmt: skip
def test_cost_rate_out_of_range_is_refused(prop, archive, cost, expense, message):
    outlet = Outlet.objects.get(property=prop, code="chinese")

    with pytest.raises(CostRateError, match=message):
        cost_rate_set(actor=None, property=prop, outlet=outlet, category="",
                      cost_percent=cost, expense_percent=expense)  # fmt: skip


def test_an_outlet_without_an_expense_rate_has_no_expenses_deducted(prop, archive):
    rooms = Outlet.objects.get(property=prop, code="rooms")
    restaurant = Outlet.objects.get(property=prop, code="chinese")
    # given rooms with no expense rate set and the restaurant at 0 %
    cost_rate_set(actor=None, property=prop, outlet=rooms, category="",
                  cost_percent="20", expense_percent="")  # fmt: skip
    cost_rate_set(actor=None, property=prop, outlet=restaurant, category="",
                  cost_percent="50", expense_percent="0")  # fmt: skip

    report = profit_report(prop, year(prop))

    # then the net profit is the contribution for both, and the note says so
    rows = {r[0]: r for r in report.section("outlets").table.rows}
    assert (rows["客房"][5], rows["客房"][6]) == (D("0.00"), rows["客房"][3])
    assert rows["中餐厅"][5] == D("0.00")
    assert rooms.rates.get().expense_bp is None
    assert restaurant.rates.get().expense_bp == 0
    assert "未设定费用率的营业点不扣经营费用" in report.note
