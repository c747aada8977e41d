"""Profile, loyalty, future, promotion and consumption on a known archive; the pages."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from dossier.analyses.guests import loyalty_report, profile_report
from dossier.analyses.outlook import (
    consumption_report,
    future_report,
    promotion_report,
)
from dossier.analyses.reports import AnalysisError, period_parse
from dossier.analyses.selectors import ANALYSES
from dossier.classes.services import classes_recompute
from dossier.core.models import AuditEvent
from dossier.messaging.models import Message

D = Decimal


def year(prop):
    return period_parse("", "", today=prop.today())


def test_loyalty_counts_visits_repeat_share_and_recency(prop, archive):
    report = loyalty_report(prop, year(prop))

    rows = report.section("loyalty").table.rows
    # both guests are C; Li came twice (stay + meal), Wang twice (two meals)
    assert rows[2][:6] == ["C 类", 2, 4, D("2.00"), 2, D("100.00")]
    assert rows[3][:3] == ["合计", 2, 4]
    frequency = report.section("frequency").table.rows
    assert [r[:2] for r in frequency] == [
        ["1 次", 0], ["2 次", 2], ["3–5 次", 0], ["6–10 次", 0], ["11 次以上", 0],
    ]  # fmt: skip


def test_profile_counts_classes_after_recomputation(prop, archive):
    classes_recompute(property=prop)

    report = profile_report(prop, year(prop))

    assert report.section("classes").table.rows == [
        ["A 类", 0, D("0.00")], ["B 类", 0, D("0.00")], ["C 类", 2, D("100.00")],
    ]  # fmt: skip
    assert dict(report.figures)["客人总数"] == 2


def test_consumption_per_class_by_year(prop, archive):
    report = consumption_report(prop, year(prop))

    years = report.section("years").table.rows
    total = sum((r[4] for r in years), D("0.00"))
    assert total == D("1773.00")
    assert {r[1] for r in years} == {"A 类", "B 类", "C 类"}
    assert dict(report.figures)["统计期消费"] == D("1773.00")


def test_future_trend_has_every_month_and_a_projection(prop, archive):
    report = future_report(prop, year(prop))

    rows = report.section("trend").table.rows
    months = [r for r in rows if "预测" not in r[0]]
    assert len(months) in (12, 13)
    assert sum((r[-1] for r in months), D("0.00")) == D("1773.00")
    assert len([r for r in rows if "预测" in r[0]]) == 3


def test_promotion_response_within_thirty_days(prop, archive):
    # given a spring campaign to both guests ten days ago; only Li and Wang came after
    sent = timezone.now() - timedelta(days=10)
    for i, guest in enumerate(archive.values()):
        Message.objects.create(
            channel="sms", purpose="marketing", to=f"1380000000{i}", body="春季菜单",
            guest=guest, status="delivered", idempotency_key=f"spring-2026:{guest.pk}",
            created_at=sent,
        )  # fmt: skip
    Message.objects.create(
        channel="sms", purpose="marketing", to="13800000009", body="x",
        guest=archive["li"], status="failed", idempotency_key="spring-2026:x",
        created_at=sent,
    )  # fmt: skip

    report = promotion_report(prop, year(prop))

    [row] = report.section("campaigns").table.rows
    # Li's last visit was 3 days ago, Wang's 5 days ago: both responded
    assert row[0] == "spring-2026"
    assert row[3:7] == [3, 2, 2, D("100.00")]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [("2026-02-30", "", "开始日期“2026-02-30”不是 YYYY-MM-DD 格式"),
     ("2026-03-01", "2026-01-01", "结束日期不能早于开始日期"),
     ("2020-01-01", "2026-01-01", "统计期最长三年")],
)  # fmt: skip
def test_bad_period_is_refused(prop, start, end, message):
    with pytest.raises(AnalysisError, match=message):
        period_parse(start, end, today=prop.today())


@pytest.fixture
def client(manager):
    c = Client()
    c.force_login(manager)
    return c


@pytest.mark.parametrize("slug", list(ANALYSES))
def test_every_analysis_page_renders_with_charts_and_tables(client, archive, slug):
    response = client.get(f"/analyses/{slug}/")

    assert response.status_code == 200
    text = response.content.decode()
    # the archive has no messages, so the promotion page says so instead of a table
    assert ("<table" in text) != (slug == "promotion")
    assert "导出" in text


def test_chart_is_accessible(client, archive, rates):
    text = client.get("/analyses/profit/").content.decode()

    assert 'role="img"' in text
    assert '<title id="outlets-t">各营业点收入与净利润</title>' in text
    assert "客房 1,376.00元" in text


def test_section_exports_to_csv_exactly_and_is_audited(client, archive, rates):
    response = client.get("/analyses/profit/?section=outlets&export=csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "营业点",
        "收入",
        "直接成本",
        "边际贡献",
        "贡献率",
        "经营费用",
        "净利润",
    ]
    assert rows[-1] == ["合计", "1773.00", "491.00", "1282.00", "72.31%", "246.10",
                        "1035.90"]  # fmt: skip
    event = AuditEvent.objects.get(action="export")
    assert event.object_type == "analyses.profit.outlets"


def test_bad_period_on_the_page_says_why(client):
    response = client.get("/analyses/loyalty/?start=2026-13-01")

    assert response.status_code == 400
    assert "开始日期“2026-13-01”不是 YYYY-MM-DD 格式" in response.content.decode()


def test_waiter_sees_no_analysis(waiter):
    c = Client()
    c.force_login(waiter)

    assert c.get("/analyses/profit/").status_code == 403
    assert c.get("/analyses/profit/?section=outlets&export=csv").status_code == 403


def test_cost_rate_page_saves_and_refuses(client, archive):
    from dossier.history.models import CostRate, Outlet

    outlet = Outlet.objects.get(code="chinese")

    bad = client.post("/analyses/cost-rates/", {"outlet": outlet.pk,
                      "cost_percent": "120"})  # fmt: skip
    good = client.post("/analyses/cost-rates/", {"outlet": outlet.pk,
                       "category": "海鲜", "cost_percent": "35.5"})  # fmt: skip

    assert bad.status_code == 400
    assert "成本率应在 0 至 100 之间" in bad.content.decode()
    assert good.status_code == 302
    assert CostRate.objects.get().cost_bp == 3550


def test_api_gives_money_as_exact_strings(client, archive, rates):
    body = client.get("/api/v1/analyses/profit").json()

    outlets = next(s for s in body["sections"] if s["key"] == "outlets")
    assert outlets["rows"][-1] == ["合计", "1773.00", "491.00", "1282.00", "72.31",
                                   "246.10", "1035.90"]  # fmt: skip
    assert outlets["kinds"][1] == "money"


def test_api_refuses_a_bad_period_as_json(client):
    response = client.get("/api/v1/analyses/loyalty?end=2026-1-1")

    assert response.status_code == 422
    assert response.json()["message"] == "结束日期“2026-1-1”不是 YYYY-MM-DD 格式"


def test_future_potential_counts_guests_near_the_next_class(prop, archive):
    from dossier.classes.services import PolicyInput, policy_update

    # given A from ¥2,000.01 (80 %: ¥1,600.01) and B from ¥1,234.57: Li (¥1,767) is B near A
    policy_update(actor=None, property=prop,
                  data=PolicyInput(a_min_spend=D("2000.01"), b_min_spend=D("1234.57")))  # fmt: skip
    classes_recompute(property=prop)

    rows = future_report(prop, year(prop)).section("potential").table.rows

    assert rows == [
        ["A 类", 0, D("0.00"), D("0.00"), None],
        ["B 类", 1, D("1767.00"), D("1767.00"), 1],
        ["C 类", 1, D("6.00"), D("6.00"), 0],
    ]


def test_promotion_shows_each_campaign_by_its_name(prop, archive):
    from dossier.care.models import Campaign

    # given two campaigns of the care app, each sent to every guest ten days ago
    sent = timezone.now() - timedelta(days=10)
    names = ["中秋家宴", "冬至饺子宴"]
    for name in names:
        campaign = Campaign.objects.create(
            property=prop, name=name, channel="sms", body=name
        )
        for i, guest in enumerate(archive.values()):
            Message.objects.create(
                channel="sms", purpose="marketing", to=f"1380000001{i}", body=name,
                guest=guest, status="delivered",
                idempotency_key=f"campaign:{campaign.pk}:{guest.pk}", created_at=sent,
            )  # fmt: skip

    rows = promotion_report(prop, year(prop)).section("campaigns").table.rows

    # then one row per campaign, named, not one row for every campaign together
    assert sorted(row[0] for row in rows) == sorted(names)
    assert all(row[3] == len(archive) for row in rows)


def test_the_projection_starts_at_the_first_month_with_spend(prop):
    from datetime import datetime

    from tests.factories import GuestFactory, add_bill

    # given a year whose history starts in its last two whole months, ¥100 each
    last = prop.today().replace(day=1) - timedelta(days=1)
    before = last.replace(day=1) - timedelta(days=1)
    guest = GuestFactory(full_name="周首单")
    for ref, month in (("P1", before), ("P2", last)):
        add_bill(guest, ref, [("套餐", "100.00", "")],
                 opened_at=datetime(month.year, month.month, 15, 12, tzinfo=prop.zone))  # fmt: skip
    start = (last.replace(day=1) - timedelta(days=320)).replace(day=1)
    period = period_parse(start.isoformat(), last.isoformat(), today=prop.today())

    # when
    rows = future_report(prop, period).section("trend").table.rows

    # then the line is flat at ¥100, not a rise from the ten months before the history
    assert [r[-1] for r in rows if "预测" in r[0]] == [D("100.00")] * 3


def test_the_running_month_is_marked_partial_drawn_dashed_and_left_out_of_the_fit(
    prop,
):
    from datetime import date, datetime

    from dossier.analyses.charts import chart_svg
    from tests.factories import GuestFactory, add_bill

    # given ¥100 in each of two whole months and ¥5 so far in the running month
    guest = GuestFactory(full_name="周首单")
    for ref, day, amount in (
        ("P1", date(2026, 10, 15), "100.00"),
        ("P2", date(2026, 11, 15), "100.00"),
        ("P3", date(2026, 12, 2), "5.00"),
    ):
        add_bill(
            guest,
            ref,
            [("套餐", amount, "")],
            opened_at=datetime(day.year, day.month, day.day, 12, tzinfo=prop.zone),
        )
    period = period_parse("2026-10-01", "2026-12-05", today=date(2026, 12, 5))  # fmt: skip

    # when
    trend = future_report(prop, period).section("trend")
    svg = chart_svg(trend.chart, "trend")

    # then
    assert [r[0] for r in trend.table.rows][:3] == [
        "2026-10", "2026-11", "2026-12（至 12-05，未满月）"]  # fmt: skip
    assert [r[-1] for r in trend.table.rows if "预测" in r[0]] == [D("100.00")] * 3
    assert trend.chart.labels[-1] == "2026-12（未满月）"
    assert 'text-anchor="end">2026-12（未满月）</text>' in svg
    assert 'stroke-dasharray="4 4"' in svg


@pytest.mark.parametrize(("unit", "shown"), [("人", "369人"), ("guests", "369 guests")])
def test_a_bar_figure_spaces_a_latin_unit(unit, shown):
    from dossier.analyses.charts import Chart, chart_svg

    svg = chart_svg(Chart("客人", ["A 类"], [("客人", [369])], unit=unit), "c")

    assert f">{shown}</text>" in svg
