"""Charts as inline SVG drawn on the server: bars and lines, readable at 390 px.

Each chart carries a ``<title>`` and a ``<desc>`` listing its values, so a screen
reader hears the figures; the table under every chart holds the same data.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, overload

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

Number = Decimal | int
PALETTE = ("#2f6f9f", "#c0812c", "#5b8c5a", "#8a5a9e", "#b54848", "#6b7280")
WIDTH = 640
BAR_HEIGHT = 22
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


def _spaced(shown: str, unit: str) -> str:
    # "369人" in Chinese, "369 guests" in English.
    space = " " if unit[:1].isascii() and unit[:1].isalpha() else ""
    return f"{shown}{space}{unit}"


def _figure(value: Number, unit: str) -> str:
    """The exact value, as the description and the tooltip read it."""
    if isinstance(value, Decimal):
        return _spaced(f"{value:,.2f}", unit)
    return _spaced(f"{value:,}", unit)


def _label(value: Number, unit: str) -> str:
    """The value beside a bar: shortened as the axis ticks are (3,453.5万元, 34.5M yuan)."""
    short = _short_number(Decimal(value), keep_small=False)
    if short is None:
        return _figure(value, unit)
    return _spaced(short, unit)


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
    x = 8.0
    for i, (name, _) in enumerate(chart.series):
        out.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="{y + 11}" font-size="12">{escape(name)}</text>'
        )
        x += 16 + _text_width(name, 12) + 18
    return out


def bar_svg(chart: Chart, slug: str) -> SafeString:
    """Horizontal bars, one group per label.

    The label column is as wide as the longest label in the active language needs
    (up to two fifths of the chart; a longer label is cut by width, its full text
    in a tooltip), and room is kept right of the bars for the widest value label.
    """
    count = len(chart.series) or 1
    group = BAR_HEIGHT * count + 8
    legend = 24 if count > 1 else 0
    height = legend + group * len(chart.labels) + 8
    top = max((v for _, vs in chart.series for v in vs), default=0) or 1
    texts = [str(label) for label in chart.labels]
    widest = max((_text_width(t, 13) for t in texts), default=0)
    label_width = math.ceil(min(max(widest + 12, 48), WIDTH * 2 / 5))
    figures = [[_label(v, chart.unit) for v in values] for _, values in chart.series]
    reserve = max((_text_width(f, 12) for fs in figures for f in fs), default=0) + 12
    room = max(WIDTH - label_width - reserve, WIDTH / 4)
    out = _open(chart, slug, height) + _legend(chart, 4)
    for row, text in enumerate(texts):
        y = legend + row * group
        short = _cut(text, label_width - 12, 13)
        tip = f"<title>{escape(text)}</title>" if short != text else ""
        out.append(
            f'<text x="{label_width - 6}" y="{y + group / 2 + 4}" font-size="13" '
            f'text-anchor="end">{tip}{escape(short)}</text>'
        )
        for i, (_, values) in enumerate(chart.series):
            value = values[row]
            width = max(0.0, float(value) / float(top) * room)
            by = y + i * BAR_HEIGHT + 4
            out.append(
                f'<rect x="{label_width}" y="{by}" width="{width:.1f}" '
                f'height="{BAR_HEIGHT - 4}" fill="{PALETTE[i % len(PALETTE)]}"/>'
                f'<text x="{label_width + width + 4:.1f}" y="{by + BAR_HEIGHT - 8}" '
                f'font-size="12"><title>{escape(_figure(value, chart.unit))}</title>'
                f"{escape(figures[i][row])}</text>"
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def _cut(text: str, room: float, size: int) -> str:
    """``text`` cut with an ellipsis where it would run past ``room`` px."""
    if _text_width(text, size) <= room:
        return text
    while text and _text_width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


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


def _text_width(text: str, size: int = 11) -> float:
    """About how wide ``text`` is at ``size`` px: CJK characters are square, others
    about three fifths of the size (a little more, so a label is never cut)."""
    return sum(size if ord(c) > 0x2E7F else size * 0.6 for c in text)


# Chinese groups big numbers by ten thousand (万) and a hundred million (亿),
# English by thousand (K), million (M) and billion (B).
_CHINESE_UNITS = ((Decimal(100_000_000), "亿"), (Decimal(10_000), "万"))
_ENGLISH_UNITS = (
    (Decimal(1_000_000_000), "B"),
    (Decimal(1_000_000), "M"),
    (Decimal(1_000), "K"),
)


@overload
def _short_number(
    value: Decimal, keep_small: Literal[True] = True, digits: int = 1
) -> str: ...
@overload
def _short_number(
    value: Decimal, keep_small: Literal[False], digits: int = 1
) -> str | None: ...
def _short_number(
    value: Decimal, keep_small: bool = True, digits: int = 1
) -> str | None:
    """A big number in the active language: 1.2万 and 3.5亿, or 12K and 350M.

    A number too small for a unit is whole (an axis tick), or None with
    ``keep_small`` false, for the caller to show it exactly. ``digits`` decimals
    are kept after the unit's number (3.5亿, or 1.04亿 with two).
    """
    english = (get_language() or "").startswith("en")
    for size, unit in _ENGLISH_UNITS if english else _CHINESE_UNITS:
        if abs(value) >= size:
            shown = f"{value / size:,.{digits}f}"
            if english:
                shown = shown.rstrip("0").removesuffix(".") if "." in shown else shown
            return shown + unit
    return f"{value:,.0f}" if keep_small else None


def short_figure(value: Decimal) -> str | None:
    """A headline figure too long for one line, shortened (1.04亿, 103.63M), or None."""
    return _short_number(value, keep_small=False, digits=2)


def chart_svg(chart: Chart, slug: str) -> SafeString:
    return line_svg(chart, slug) if chart.kind == "line" else bar_svg(chart, slug)
