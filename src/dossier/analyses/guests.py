"""Profile and loyalty of the guests: who they are, how often and how lately they come."""

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.db.models.functions import ExtractHour, TruncQuarter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.analyses.charts import Chart
from dossier.analyses.reports import Period, Report, Section, share
from dossier.classes.models import CustomerClass
from dossier.classes.selectors import CLASS_FIELD, class_counts
from dossier.core.exports import Column, Kind, Table
from dossier.core.models import Property
from dossier.guests.models import (
    Guest,
    GuestPreference,
    Observation,
    ObservationKind,
)
from dossier.guests.selectors import not_merged
from dossier.history.models import Bill, BillStatus, SpendLine, Stay

TOP = 15
CLASSES = list(CustomerClass.values)


def _guests(prop: Property) -> Any:
    return Guest.objects.filter(property=prop).filter(not_merged())


def _count_section(key: str, title: str, heading: str, pairs: list[tuple[str, int]],
                   total: int) -> Section:  # fmt: skip
    table = Table(
        title,
        [
            Column(heading),
            Column(_("客人数"), Kind.INTEGER),
            Column(_("占比"), Kind.PERCENT),
        ],
        [[label, n, share(n, total)] for label, n in pairs],
    )
    chart = Chart(title, [p[0] for p in pairs], [(_("客人数"), [p[1] for p in pairs])],
                  unit=_("人"))  # fmt: skip
    return Section(key, title, table, chart)


def _risk(prop: Property) -> list[tuple[str, int]]:
    guests = _guests(prop)
    complaints = Observation.objects.filter(
        guest_id=OuterRef("pk"), kind=ObservationKind.COMPLAINT, resolved=False
    )
    alerts = GuestPreference.objects.filter(
        guest_id=OuterRef("pk"), item__is_alert=True
    )
    found = guests.aggregate(
        blacklisted=Count("id", filter=Q(blacklisted=True)),
        complaints=Count("id", filter=Q(Exists(complaints))),
        alerts=Count("id", filter=Q(Exists(alerts))),
    )
    return [
        (_("黑名单"), found["blacklisted"]),
        (_("有未处理投诉"), found["complaints"]),
        (_("有过敏/忌口等警示"), found["alerts"]),
    ]


def _preferences(prop: Property) -> list[tuple[str, int]]:
    rows = (
        GuestPreference.objects.filter(guest__property=prop)
        .exclude(value_text="")
        .values("item__name", "value_text")
        .annotate(n=Count("guest_id", distinct=True))
        .order_by("-n", "item__name", "value_text")[:TOP]
    )
    return [(f"{r['item__name']}：{r['value_text']}", r["n"]) for r in rows]


def _meal_hours(prop: Property, period: Period) -> list[tuple[str, int]]:
    rows = (
        Bill.objects.filter(property=prop, spendline__date__gte=period.start,
                            spendline__date__lte=period.end)
        .exclude(status=BillStatus.CANCELLED)
        .annotate(hour=ExtractHour("opened_at", tzinfo=prop.zone))
        .values("hour")
        .annotate(n=Count("id"))
        .order_by("hour")
    )  # fmt: skip
    return [(f"{r['hour']:02d}:00", r["n"]) for r in rows]


def _stay_habit(prop: Property, period: Period, name: str) -> list[tuple[str, int]]:
    rows = (
        Stay.objects.filter(property=prop, arrival__gte=period.start,
                            arrival__lte=period.end)
        .exclude(**{name: ""})
        .values(name)
        .annotate(n=Count("id"))
        .order_by("-n", name)[:TOP]
    )  # fmt: skip
    return [(r[name], r["n"]) for r in rows]


def profile_report(prop: Property, period: Period) -> Report:
    counts = class_counts(prop)
    total = sum(counts.values())
    levels = list(
        _guests(prop).exclude(vip_level="").values_list("vip_level")
        .annotate(n=Count("id")).order_by("vip_level")
    )  # fmt: skip
    sections = [
        _count_section("classes", _("客户等级（A/B/C）"), _("类别"),
                       [(_("%(k)s 类") % {"k": k}, n) for k, n in counts.items()], total),
        _count_section("vip", _("VIP 等级"), _("VIP 等级"),
                       [(f"VIP {v}", n) for v, n in levels], total),
        _count_section("risk", _("风险"), _("风险"), _risk(prop), total),
        _count_section("preferences", _("最常见的偏好"), _("偏好"), _preferences(prop),
                       total),
    ]  # fmt: skip
    meals = _meal_hours(prop, period)
    sections.append(
        _visit_section("meal_hours", _("用餐时段（开台时间）"), _("时段"), meals)
    )
    for name, title in (("segment", _("住店客源")), ("channel", _("预订渠道"))):
        pairs = _stay_habit(prop, period, name)
        sections.append(_visit_section(name, title, title, pairs))
    return Report(
        slug="profile",
        title=_("客户画像"),
        period=period,
        sections=sections,
        figures=[
            (_("客人总数"), total),
            *((_("%(k)s 类") % {"k": k}, n) for k, n in counts.items()),
        ],
        note=_("等级、风险与偏好为当前档案；用餐时段与客源按统计期内的消费。"),
    )


def _visit_section(key: str, title: str, heading: str,
                   pairs: list[tuple[str, int]]) -> Section:  # fmt: skip
    total = sum(n for _x, n in pairs)
    table = Table(
        title,
        [
            Column(heading),
            Column(_("次数"), Kind.INTEGER),
            Column(_("占比"), Kind.PERCENT),
        ],
        [[label, n, share(n, total)] for label, n in pairs],
    )
    chart = Chart(title, [p[0] for p in pairs], [(_("次数"), [p[1] for p in pairs])])
    return Section(key, title, table, chart)


# Loyalty ------------------------------------------------------------------------

FREQUENCY_BANDS = ((1, 1, gettext_lazy("1 次")), (2, 2, gettext_lazy("2 次")), (3, 5, gettext_lazy("3–5 次")),
                   (6, 10, gettext_lazy("6–10 次")), (11, 10**9, gettext_lazy("11 次以上")))  # fmt: skip
COHORT_QUARTERS = 4


def _per_guest(prop: Property, period: Period) -> list[tuple[int, str, int, date]]:
    rows = (
        SpendLine.objects.filter(property=prop, date__gte=period.start,
                                 date__lte=period.end)
        .values("guest_id", f"guest__{CLASS_FIELD}")
        .annotate(visits=Count("id"), last=Max("date"))
        .values_list("guest_id", f"guest__{CLASS_FIELD}", "visits", "last")
    )  # fmt: skip
    return list(rows.iterator(chunk_size=5000))


def _loyalty_section(rows: list[tuple[int, str, int, date]], end: date) -> Section:
    by_class: dict[str, list[tuple[int, date]]] = defaultdict(list)
    for _x, klass, visits, last in rows:
        by_class[klass].append((visits, last))
    table_rows = []
    for klass in [*CLASSES, _("合计")]:
        items = [i for k in CLASSES for i in by_class[k]] if klass == _("合计") else (
            by_class[klass]
        )  # fmt: skip
        active = len(items)
        visits = sum(v for v, _x in items)
        repeat = sum(1 for v, _x in items if v >= 2)
        recency = sum((end - last).days for _x, last in items)
        table_rows.append([
            klass if klass == _("合计") else _("%(k)s 类") % {"k": klass}, active, visits,
            (Decimal(visits) / active).quantize(Decimal("0.01")) if active else None,
            repeat, share(repeat, active),
            round(recency / active) if active else 0,
        ])  # fmt: skip
    table = Table(
        _("忠诚度"),
        [Column(_("类别")), Column(_("到访客人"), Kind.INTEGER), Column(_("到访次数"), Kind.INTEGER),
         Column(_("人均次数"), Kind.DECIMAL), Column(_("回头客"), Kind.INTEGER),
         Column(_("回头客占比"), Kind.PERCENT), Column(_("平均距今天数"), Kind.INTEGER)],
        table_rows,
    )  # fmt: skip
    chart = Chart(
        _("各类客户回头客占比"),
        [r[0] for r in table_rows],
        [(_("回头客占比"), [r[5] for r in table_rows])],
        unit="%",
    )
    return Section("loyalty", _("频率、近度与回头客"), table, chart)


def _frequency_section(rows: list[tuple[int, str, int, date]]) -> Section:
    counts = Counter(
        next(
            str(label) for low, high, label in FREQUENCY_BANDS if low <= visits <= high
        )
        for _g, _k, visits, _d in rows
    )
    pairs = [(str(label), counts[str(label)]) for _lo, _hi, label in FREQUENCY_BANDS]
    return _count_section("frequency", _("到访频率分布"), _("次数"), pairs, len(rows))


def _quarter_label(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _quarter_index(day: date) -> int:
    return day.year * 4 + (day.month - 1) // 3


def _cohort_section(prop: Property, period: Period) -> Section:
    """Guests by the quarter of their first visit, and the share seen again later."""
    firsts = dict(
        SpendLine.objects.filter(property=prop)
        .values("guest_id").annotate(first=Min("date"))
        .filter(first__gte=period.start, first__lte=period.end)
        .values_list("guest_id", "first")
    )  # fmt: skip
    seen = (
        SpendLine.objects.filter(property=prop, date__gte=period.start)
        .annotate(q=TruncQuarter("date")).values_list("guest_id", "q").distinct()
    )  # fmt: skip
    cohorts: dict[int, set[int]] = defaultdict(set)
    for guest_id, first in firsts.items():
        cohorts[_quarter_index(first)].add(guest_id)
    returned: dict[tuple[int, int], int] = Counter()
    for guest_id, quarter in seen.iterator(chunk_size=5000):
        first = firsts.get(guest_id)
        if first is not None:
            offset = _quarter_index(quarter) - _quarter_index(first)
            if 1 <= offset <= COHORT_QUARTERS:
                returned[(_quarter_index(first), offset)] += 1
    rows = []
    for index in sorted(cohorts):
        size = len(cohorts[index])
        label = f"{index // 4}Q{index % 4 + 1}"
        rows.append([label, size, *(share(returned[(index, k)], size)
                                    for k in range(1, COHORT_QUARTERS + 1))])  # fmt: skip
    table = Table(
        _("按首次到访季度的留存"),
        [Column(_("首次到访季度")), Column(_("新客"), Kind.INTEGER),
         *(Column(_("第 %(k)s 季度再到访") % {"k": k}, Kind.PERCENT)
           for k in range(1, COHORT_QUARTERS + 1))],
        rows,
    )  # fmt: skip
    chart = Chart(_("下一季度再到访的比例"), [r[0] for r in rows],
                  [(_("下一季度再到访"), [r[2] for r in rows])], unit="%")  # fmt: skip
    return Section("cohorts", _("留存（按首次到访季度）"), table, chart,
                   note=_("尚未过去的季度计为 0"))  # fmt: skip


def loyalty_report(prop: Property, period: Period) -> Report:
    rows = _per_guest(prop, period)
    loyalty = _loyalty_section(rows, period.end)
    total = loyalty.table.rows[-1]  # type: ignore[index]
    return Report(
        slug="loyalty",
        title=_("忠诚度分析"),
        period=period,
        sections=[loyalty, _frequency_section(rows), _cohort_section(prop, period)],
        figures=[(_("到访客人"), total[1]), (_("到访次数"), total[2]),
                 (_("回头客占比"), f"{total[5]}%"), (_("平均距今天数"), total[6])],
        note=_("到访按消费记录计（每次住店或每张餐单一次）；类别为当前类别。"),
    )  # fmt: skip
