"""Template helpers of the analysis pages: charts and cells."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.utils.safestring import SafeString

from dossier.analyses.charts import Chart, chart_svg, short_figure
from dossier.core.exports import Column, Kind

register = template.Library()


@register.simple_tag
def chart(value: Chart, slug: str) -> SafeString:
    return chart_svg(value, slug)


@register.filter
def cell(value: Any, column: Column) -> str:
    """A table cell as the page shows it: money with separators, percent signs."""
    if value is None or value == "":
        return "—"
    if column.kind == Kind.MONEY and isinstance(value, Decimal):
        return f"¥{value:,.2f}"
    if column.kind == Kind.PERCENT:
        return f"{value:.2f}%"
    if column.kind == Kind.INTEGER and isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@register.filter
def numeric(column: Column) -> bool:
    return column.kind not in (Kind.TEXT, Kind.DATE, Kind.DATETIME)


@register.filter
def figure(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"¥{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


# A headline figure longer than this breaks its box at 390 px: it is shortened.
FIGURE_CHARS = 11


@register.filter
def figure_short(value: Any) -> str:
    """A headline figure that fits one line: ¥1.04亿 for ¥103,625,345.57 (the exact
    value is in the box's tooltip)."""
    full = figure(value)
    if len(full) <= FIGURE_CHARS or not isinstance(value, Decimal | int):
        return full
    short = short_figure(Decimal(value))
    if short is None:
        return full
    return f"¥{short}" if isinstance(value, Decimal) else short
