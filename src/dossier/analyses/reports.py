"""What every analysis returns: sections, each a table with an optional chart."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from dossier.analyses.charts import Chart
from dossier.core.exports import Table

PERIOD_MAX_DAYS = 3 * 366 + 1


class AnalysisError(ValueError):
    """A request no analysis can answer; ``field`` names the input at fault."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included, in the property's time zone."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def period_parse(start: str, end: str, *, today: date) -> Period:
    """The period a request names; the last 12 months when it names none."""
    try:
        last = date.fromisoformat(end) if end else today
    except ValueError:
        raise AnalysisError(
            _("结束日期“%(value)s”不是 YYYY-MM-DD 格式") % {"value": end}, field="end"
        ) from None
    try:
        first = date.fromisoformat(start) if start else _year_before(last)
    except ValueError:
        raise AnalysisError(
            _("开始日期“%(value)s”不是 YYYY-MM-DD 格式") % {"value": start},
            field="start",
        ) from None
    if last < first:
        raise AnalysisError("结束日期不能早于开始日期", field="end")
    if (last - first).days + 1 > PERIOD_MAX_DAYS:
        raise AnalysisError("统计期最长三年", field="start")
    return Period(first, last)


def _year_before(day: date) -> date:
    return (
        day.replace(year=day.year - 1) + timedelta(days=1)
        if not (day.month == 2 and day.day == 29)
        else date(day.year - 1, 3, 1)
    )


@dataclass
class Section:
    key: str
    title: str
    table: Table
    chart: Chart | None = None
    note: str = ""


@dataclass
class Report:
    slug: str
    title: str
    period: Period
    sections: list[Section] = field(default_factory=list)
    figures: list[tuple[str, Any]] = field(default_factory=list)
    note: str = ""

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def share(part: int, whole: int) -> Decimal:
    """``part`` of ``whole`` as a percentage with two decimals; 0 of nothing is 0."""
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def money_div(amount: Decimal, count: int) -> Decimal:
    from dossier.core.money import round_money

    return round_money(amount / count) if count else Decimal("0.00")
