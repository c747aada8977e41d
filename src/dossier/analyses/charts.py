"""Charts as inline SVG drawn on the server: bars and lines, readable at 390 px.

Each chart carries a ``<title>`` and a ``<desc>`` listing its values, so a screen
reader hears the figures; the table under every chart holds the same data.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

Number = Decimal | int
PALETTE = ("#2f6f9f", "#c0812c", "#5b8c5a", "#8a5a9e", "#b54848", "#6b7280")
WIDTH = 640
BAR_HEIGHT = 22
LABEL_WIDTH = 150
LINE_HEIGHT = 240


@dataclass
class Chart:
    """``series`` is a list of (name, values), one value per label."""

    title: str
    labels: list[Any]
    series: list[tuple[str, list[Any]]] = field(default_factory=list)
    kind: str = "bar"
    unit: str = ""
    # The last label is a period not over yet (the running month): drawn dashed.
    partial_last: bool = False

    def is_empty(self) -> bool:
        return not self.labels or not any(any(v for v in s) for _, s in self.series)


def _figure(value: Number, unit: str) -> str:
    # "369人" in Chinese, "369 guests" in English.
    space = " " if unit[:1].isascii() and unit[:1].isalpha() else ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}{space}{unit}"
    return f"{value:,}{space}{unit}"


def _desc(chart: Chart) -> str:
    """The chart read aloud, punctuated as the active language writes."""
    english = (get_language() or "").startswith("en")
    comma, colon, semicolon = (", ", ": ", "; ") if english else ("，", "：", "；")
    parts = []
    for name, values in chart.series:
        pairs = comma.join(
            f"{label} {_figure(v, chart.unit)}"
            for label, v in zip(chart.labels, values, strict=True)
        )
        parts.append(f"{name}{colon}{pairs}")
    return semicolon.join(parts)


def _open(chart: Chart, slug: str, height: int) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{slug}-t {slug}-d" preserveAspectRatio="xMinYMin meet" '
        f'width="100%" style="max-width:{WIDTH}px;height:auto">',
        f'<title id="{slug}-t">{escape(chart.title)}</title>',
        f'<desc id="{slug}-d">{escape(_desc(chart))}</desc>',
    ]


def _legend(chart: Chart, y: int) -> list[str]:
    if len(chart.series) < 2:
        return []
    out = []
    for i, (name, _) in enumerate(chart.series):
        x = 8 + i * 130
        out.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="{y + 11}" font-size="12">{escape(name)}</text>'
        )
    return out


def bar_svg(chart: Chart, slug: str) -> SafeString:
    """Horizontal bars, one group per label; long labels are cut, not squeezed."""
    count = len(chart.series) or 1
    group = BAR_HEIGHT * count + 8
    legend = 24 if count > 1 else 0
    height = legend + group * len(chart.labels) + 8
    top = max((v for _, vs in chart.series for v in vs), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 110
    out = _open(chart, slug, height) + _legend(chart, 4)
    for row, label in enumerate(chart.labels):
        y = legend + row * group
        short = label if len(label) <= 10 else label[:9] + "…"
        out.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + group / 2 + 4}" font-size="13" '
            f'text-anchor="end">{escape(short)}</text>'
        )
        for i, (_, values) in enumerate(chart.series):
            value = values[row]
            width = max(0.0, float(value) / float(top) * room)
            by = y + i * BAR_HEIGHT + 4
            out.append(
                f'<rect x="{LABEL_WIDTH}" y="{by}" width="{width:.1f}" '
                f'height="{BAR_HEIGHT - 4}" fill="{PALETTE[i % len(PALETTE)]}"/>'
                f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{by + BAR_HEIGHT - 8}" '
                f'font-size="12">{escape(_figure(value, chart.unit))}</text>'
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def line_svg(chart: Chart, slug: str) -> SafeString:
    """Lines over the labels (months); the y axis starts at zero."""
    left, right, top_pad, bottom = 70, 16, 30, 40
    plot_w, plot_h = WIDTH - left - right, LINE_HEIGHT - top_pad - bottom
    top = max((v for _, vs in chart.series for v in vs), default=0) or 1
    steps = max(len(chart.labels) - 1, 1)
    out = _open(chart, slug, LINE_HEIGHT) + _legend(chart, 4)
    for tick in range(5):
        value = Decimal(top) * tick / 4
        y = top_pad + plot_h - plot_h * tick / 4
        out.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e5e7eb"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end">{escape(_short_number(value))}</text>'
        )
    every = max(1, len(chart.labels) // 6)
    last = len(chart.labels) - 1
    # The last label always shows, ending at the plot's edge so it is not cut; a
    # label that would run into it is left out.
    room = WIDTH - right - _text_width(str(chart.labels[-1])) - 12 if last else WIDTH
    for i, label in enumerate(chart.labels):
        x = left + plot_w * i / steps
        fits = x + _text_width(str(label)) / 2 <= room
        if (i % every == 0 and fits) or i == last:
            anchor = "end" if i == last and i else "middle"
            out.append(
                f'<text x="{x:.1f}" y="{LINE_HEIGHT - 18}" font-size="11" '
                f'text-anchor="{anchor}">{escape(label)}</text>'
            )
    for s, (_, values) in enumerate(chart.series):
        color = PALETTE[s % len(PALETTE)]
        points = [
            f"{left + plot_w * i / steps:.1f},"
            f"{top_pad + plot_h - plot_h * float(v) / float(top):.1f}"
            for i, v in enumerate(values)
        ]
        whole = points[:-1] if chart.partial_last and len(points) > 1 else points
        out.append(
            f'<polyline fill="none" stroke-width="2.5" '
            f'stroke="{color}" points="{" ".join(whole)}"/>'
        )
        if whole is not points:
            out.append(
                f'<polyline fill="none" stroke-width="2" stroke-dasharray="4 4" '
                f'stroke="{color}" points="{" ".join(points[-2:])}"/>'
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def _text_width(text: str) -> float:
    """About how wide ``text`` is at 11 px: CJK characters are square."""
    return sum(11 if ord(c) > 0x2E7F else 6.5 for c in text)


# Chinese groups big numbers by ten thousand (万) and a hundred million (亿),
# English by thousand (K), million (M) and billion (B).
_CHINESE_UNITS = ((Decimal(100_000_000), "亿"), (Decimal(10_000), "万"))
_ENGLISH_UNITS = (
    (Decimal(1_000_000_000), "B"),
    (Decimal(1_000_000), "M"),
    (Decimal(1_000), "K"),
)


def _short_number(value: Decimal) -> str:
    """An axis label in the active language: 1.2万 and 3.5亿, or 12K and 350M."""
    english = (get_language() or "").startswith("en")
    for size, unit in _ENGLISH_UNITS if english else _CHINESE_UNITS:
        if abs(value) >= size:
            shown = f"{value / size:,.1f}"
            return (shown.removesuffix(".0") if english else shown) + unit
    return f"{value:,.0f}"


def chart_svg(chart: Chart, slug: str) -> SafeString:
    return line_svg(chart, slug) if chart.kind == "line" else bar_svg(chart, slug)
