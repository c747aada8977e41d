"""Future (counts, potential and trend by class), promotion response, and the
half-year and annual consumption of each class."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    ExtractYear,
    Left,
    StrIndex,
    Substr,
    TruncDate,
    TruncMonth,
)
from django.utils.translation import gettext as _

from dossier.analyses.charts import Chart
from dossier.analyses.reports import Period, Report, Section, money_div, share
from dossier.classes.models import CustomerClass, GuestClass
from dossier.classes.selectors import CLASS_FIELD, class_counts
from dossier.classes.services import policy_get
from dossier.core.exports import Column, Kind, Table
from dossier.core.models import Property
from dossier.core.money import round_money
from dossier.guests.selectors import not_merged
from dossier.history.models import SpendLine
from dossier.messaging.models import InboundMessage, Message, MessageStatus

ZERO = Decimal("0.00")
CLASSES = list(CustomerClass.values)
NEAR = Decimal("0.8")
RESPONSE_DAYS = 30
PROJECTED_MONTHS = 3


def _spend(prop: Property, period: Period) -> Any:
    return SpendLine.objects.filter(
        property=prop, date__gte=period.start, date__lte=period.end
    )


def _potential_section(prop: Property) -> Section:
    """Guests per class with their window spend, and those close to the next class."""
    policy = policy_get(prop)
    counts = class_counts(prop)
    near_b = round_money(policy.b_min_spend * NEAR)
    near_a = round_money(policy.a_min_spend * NEAR)
    klass = f"guest__{CLASS_FIELD}"
    rows = (
        GuestClass.objects.filter(guest__property=prop)
        .filter(not_merged("guest_id"))
        .values(klass)
        .annotate(
            spend=Sum("annual_spend"),
            near_b=Count(
                "guest_id", filter=Q(annual_spend__gte=near_b, **{klass: "C"})
            ),
            near_a=Count(
                "guest_id", filter=Q(annual_spend__gte=near_a, **{klass: "B"})
            ),
        )
    )
    spend = {r[klass]: r for r in rows}
    table_rows = []
    for name in CLASSES:
        r = spend.get(name, {})
        total = r.get("spend") or ZERO
        near = r.get("near_a", 0) if name == "B" else r.get("near_b", 0)
        table_rows.append([_("%(k)s 类") % {"k": name}, counts[name], total,
                           money_div(total, counts[name]),
                           near if name != "A" else None])  # fmt: skip
    table = Table(
        _("各类客户数量与潜力"),
        [Column(_("类别")), Column(_("客人数"), Kind.INTEGER), Column(_("统计期消费"), Kind.MONEY),
         Column(_("人均消费"), Kind.MONEY), Column(_("接近升级（达下一级下限 80%）"), Kind.INTEGER)],
        table_rows,
    )  # fmt: skip
    chart = Chart(_("各类客户数量"), [r[0] for r in table_rows],
                  [(_("客人数"), [r[1] for r in table_rows])], unit=_("人"))  # fmt: skip
    return Section("potential", _("数量与潜力"), table, chart,
                   note=_("消费为上次重算时的统计期消费"))  # fmt: skip


def month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _months(period: Period) -> list[date]:
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _projection(values: list[Decimal], ahead: int) -> list[Decimal]:
    """Least-squares line through the monthly totals, carried ``ahead`` months."""
    n = len(values)
    if n < 2:
        return [values[0] if values else ZERO] * ahead
    xs = range(n)
    mean_x = Decimal(n - 1) / 2
    mean_y = sum(values, ZERO) / n
    num = sum(
        ((Decimal(x) - mean_x) * (y - mean_y) for x, y in zip(xs, values, strict=True)),
        ZERO,
    )
    den = sum(((Decimal(x) - mean_x) ** 2 for x in xs), ZERO)
    slope = num / den
    return [max(ZERO, round_money(mean_y + slope * (Decimal(n + k) - mean_x)))
            for k in range(ahead)]  # fmt: skip


def _trend_section(prop: Property, period: Period) -> Section:
    rows = (
        _spend(prop, period)
        .annotate(month=TruncMonth("date"))
        .values("month", f"guest__{CLASS_FIELD}")
        .annotate(amount=Sum("revenue"), guests=Count("guest_id", distinct=True))
    )
    found: dict[tuple[date, str], tuple[Decimal, int]] = {
        (r["month"], r[f"guest__{CLASS_FIELD}"]): (r["amount"], r["guests"])
        for r in rows
    }
    months = _months(period)
    partial = bool(months) and month_end(months[-1]) > period.end
    labels = [m.strftime("%Y-%m") for m in months]
    chart_labels = list(labels)
    if partial:
        # The running month is marked, drawn dashed and kept out of the fit.
        chart_labels[-1] = _("%(month)s（未满月）") % {"month": labels[-1]}
        labels[-1] = _("%(month)s（至 %(day)s，未满月）") % {
            "month": labels[-1], "day": f"{period.end:%m-%d}"}  # fmt: skip
    series = [(_("%(k)s 类") % {"k": k}, [found.get((m, k), (ZERO, 0))[0] for m in months])
              for k in CLASSES]  # fmt: skip
    totals = [sum((found.get((m, k), (ZERO, 0))[0] for k in CLASSES), ZERO)
              for m in months]  # fmt: skip
    table_rows = [
        [label, *(found.get((m, k), (ZERO, 0))[1] for k in CLASSES),
         *(found.get((m, k), (ZERO, 0))[0] for k in CLASSES), total]
        for label, m, total in zip(labels, months, totals, strict=True)
    ]  # fmt: skip
    # A month not over yet would drag the line down: fit whole months only.
    whole = totals[:-1] if partial else totals
    # Months before the first spend are before the archive's history, not empty months.
    first = next((i for i, total in enumerate(whole) if total), len(whole))
    whole = whole[first:]
    for k, value in enumerate(_projection(whole, PROJECTED_MONTHS), start=1):
        month = (months[-1] + timedelta(days=32 * k)).replace(day=1) if months else None
        label = (
            _("%(month)s（预测）") % {"month": f"{month:%Y-%m}"} if month else _("预测")
        )
        table_rows.append([label, None, None, None, None, None, None, value])
    table = Table(
        _("按月趋势"),
        [Column(_("月份")), *(Column(_("%(k)s 类到访客人") % {"k": k}, Kind.INTEGER) for k in CLASSES),
         *(Column(_("%(k)s 类消费") % {"k": k}, Kind.MONEY) for k in CLASSES), Column(_("合计消费"), Kind.MONEY)],
        table_rows,
    )  # fmt: skip
    chart = Chart(_("各类客户按月消费"), chart_labels, series, kind="line", unit=_("元"),
                  partial_last=partial)  # fmt: skip
    return Section("trend", _("趋势"), table, chart,
                   note=_("最后 %(n)s 行为按最小二乘直线外推的合计消费") % {"n": PROJECTED_MONTHS})  # fmt: skip


def future_report(prop: Property, period: Period) -> Report:
    potential = _potential_section(prop)
    return Report(
        slug="future",
        title=_("前景分析"),
        period=period,
        sections=[potential, _trend_section(prop, period)],
        figures=[(r[0], r[1]) for r in potential.table.rows],
        note=_("类别为当前类别；趋势按统计期内每月的消费。"),
    )


# Promotion ----------------------------------------------------------------------


CAMPAIGN_PREFIX = "campaign:"


def _campaign() -> Any:
    """The campaign a message belongs to: a campaign's own messages by its number
    (``campaign:12:<guest>`` → ``campaign:12``), any other by its idempotency key up to
    the first colon (``spring-2026:<guest>`` → ``spring-2026``)."""
    key = F("idempotency_key")
    colon = StrIndex(key, Value(":"))
    rest = Substr(key, len(CAMPAIGN_PREFIX) + 1)
    second = StrIndex(rest, Value(":"))
    return Case(
        When(
            idempotency_key__startswith=CAMPAIGN_PREFIX,
            then=Left(key, Value(len(CAMPAIGN_PREFIX) - 1) + second),
        ),
        When(idempotency_key__contains=":", then=Left(key, colon - Value(1))),
        default=key,
    )


def _campaign_names(prop: Property, groups: list[str]) -> dict[str, str]:
    """The names of the property's campaigns among ``groups`` (``campaign:12`` …)."""
    from dossier.care.models import Campaign

    ids = {
        int(g[len(CAMPAIGN_PREFIX) :]): g
        for g in groups
        if g.startswith(CAMPAIGN_PREFIX) and g[len(CAMPAIGN_PREFIX) :].isdigit()
    }
    found = Campaign.objects.filter(property=prop, pk__in=ids).values_list("pk", "name")
    return {ids[pk]: name for pk, name in found}


def _promotion_section(prop: Property, period: Period) -> Section:
    sent_day = TruncDate("created_at", tzinfo=prop.zone)
    until = ExpressionWrapper(
        OuterRef("sent_day") + timedelta(days=RESPONSE_DAYS), output_field=DateField()
    )
    visited = SpendLine.objects.filter(
        guest_id=OuterRef("guest_id"), date__gte=OuterRef("sent_day"), date__lte=until
    )
    opted_out = InboundMessage.objects.filter(
        guest_id=OuterRef("guest_id"), is_opt_out=True,
        received_at__gte=OuterRef("created_at"),
    )  # fmt: skip
    delivered = [MessageStatus.SENT, MessageStatus.DELIVERED]
    rows = (
        Message.objects.filter(guest__property=prop)
        .annotate(sent_day=sent_day, campaign=_campaign())
        .filter(sent_day__gte=period.start, sent_day__lte=period.end)
        .annotate(responded=Exists(visited), left=Exists(opted_out))
        .values("campaign", "purpose")
        .annotate(
            messages=Count("id"),
            reached=Count("id", filter=Q(status__in=delivered)),
            responded_n=Count("id", filter=Q(responded=True, status__in=delivered)),
            opt_outs=Count("id", filter=Q(left=True)),
            first=Min("sent_day"),
        )
        .order_by("-first", "campaign")
    )  # fmt: skip
    found = list(rows)
    names = _campaign_names(prop, [r["campaign"] for r in found])
    table_rows = [
        [names.get(r["campaign"], r["campaign"]),
         Message(purpose=r["purpose"]).get_purpose_display(), r["first"],
         r["messages"], r["reached"], r["responded_n"],
         share(r["responded_n"], r["reached"]), r["opt_outs"]]
        for r in found
    ]  # fmt: skip
    table = Table(
        _("营销响应"),
        [Column(_("活动")), Column(_("用途")), Column(_("首发日期"), Kind.DATE),
         Column(_("发出"), Kind.INTEGER), Column(_("送达"), Kind.INTEGER),
         Column(_("%(n)s 天内到店") % {"n": RESPONSE_DAYS}, Kind.INTEGER), Column(_("响应率"), Kind.PERCENT),
         Column(_("退订"), Kind.INTEGER)],
        table_rows,
    )  # fmt: skip
    chart = Chart(_("各活动响应率"), [r[0] for r in table_rows],
                  [(_("响应率"), [r[6] for r in table_rows])], unit="%")  # fmt: skip
    return Section("campaigns", _("各活动响应"), table, chart)


def promotion_report(prop: Property, period: Period) -> Report:
    section = _promotion_section(prop, period)
    rows: list[Any] = section.table.rows  # type: ignore[assignment]
    reached = sum(r[4] for r in rows)
    responded = sum(r[5] for r in rows)
    return Report(
        slug="promotion",
        title=_("营销响应分析"),
        period=period,
        sections=[section],
        figures=[(_("活动数"), len(rows)), (_("送达"), reached), (_("到店"), responded),
                 (_("总响应率"), f"{share(responded, reached)}%")],
        note=_("营销活动按活动归组，其他短信/邮件按幂等键前缀（第一个冒号之前）归组；"
               "响应 = 送达后 %(n)s 天内有消费记录。") % {"n": RESPONSE_DAYS},
    )  # fmt: skip


# Consumption per class, by half-year and year ---------------------------------------


def _halves(prop: Property, period: Period) -> list[dict[str, Any]]:
    half = Case(When(date__month__lte=6, then=Value(1)), default=Value(2),
                output_field=IntegerField())  # fmt: skip
    return list(
        _spend(prop, period)
        .annotate(year=ExtractYear("date"), half=half)
        .values("year", "half", f"guest__{CLASS_FIELD}")
        .annotate(amount=Sum("revenue"), visits=Count("id"),
                  guests=Count("guest_id", distinct=True))
        .order_by("year", "half")
    )  # fmt: skip


def _years(prop: Property, period: Period) -> list[dict[str, Any]]:
    return list(
        _spend(prop, period)
        .annotate(year=ExtractYear("date"))
        .values("year", f"guest__{CLASS_FIELD}")
        .annotate(amount=Sum("revenue"), visits=Count("id"),
                  guests=Count("guest_id", distinct=True))
        .order_by("year")
    )  # fmt: skip


def _consumption_rows(found: list[dict[str, Any]], label: Any) -> list[list[Any]]:
    by: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in found:
        by[label(r)][r[f"guest__{CLASS_FIELD}"]] = r
    rows = []
    for name, classes in by.items():
        total = sum((c["amount"] for c in classes.values()), ZERO)
        for klass in CLASSES:
            r = classes.get(klass, {"amount": ZERO, "visits": 0, "guests": 0})
            rows.append([name, _("%(k)s 类") % {"k": klass}, r["guests"], r["visits"], r["amount"],
                         money_div(r["amount"], r["guests"]),
                         share(int(r["amount"] * 100), int(total * 100))])  # fmt: skip
    return rows


def _consumption_columns() -> list[Column]:
    return [
        Column(_("期间")), Column(_("类别")), Column(_("消费客人"), Kind.INTEGER),
        Column(_("消费次数"), Kind.INTEGER), Column(_("消费金额"), Kind.MONEY),
        Column(_("人均消费"), Kind.MONEY), Column(_("占该期消费"), Kind.PERCENT),
    ]  # fmt: skip


def consumption_report(prop: Property, period: Period) -> Report:
    halves = _consumption_rows(
        _halves(prop, period),
        lambda r: (
            (_("%(year)s 上半年") if r["half"] == 1 else _("%(year)s 下半年"))
            % {"year": r["year"]}
        ),
    )
    years = _consumption_rows(
        _years(prop, period), lambda r: _("%(year)s 全年") % {"year": r["year"]}
    )
    periods = list(dict.fromkeys(r[0] for r in halves))
    chart = Chart(
        _("各类客户半年消费"),
        periods,
        [(_("%(k)s 类") % {"k": k}, [next(r[4] for r in halves if r[0] == p and r[1] == _("%(k)s 类") % {"k": k})
                      for p in periods]) for k in CLASSES],
        unit=_("元"),
    )  # fmt: skip
    year_chart = Chart(
        _("各类客户年度消费"),
        list(dict.fromkeys(r[0] for r in years)),
        [
            (
                _("%(k)s 类") % {"k": k},
                [r[4] for r in years if r[1] == _("%(k)s 类") % {"k": k}],
            )
            for k in CLASSES
        ],
        unit=_("元"),
    )
    total = sum((r[4] for r in years), ZERO)
    return Report(
        slug="consumption",
        title=_("分类消费报告"),
        period=period,
        sections=[
            Section("halves", _("半年报"), Table(_("半年消费"), _consumption_columns(), halves), chart),
            Section("years", _("年报"), Table(_("年度消费"), _consumption_columns(), years), year_chart),
        ],
        figures=[(_("统计期消费"), total)],
        note=_("期间只计统计期内的日子；类别为当前类别。"),
    )  # fmt: skip
