"""Charts speak the user's language: big numbers and the spoken description."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from dossier.analyses.charts import Chart, chart_svg


def _axis(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end">([^<]*)</text>', svg)


@pytest.mark.parametrize(
    ("top", "language", "ticks"),
    [
        (120_000, "zh-hans", ["0", "3.0万", "6.0万", "9.0万", "12.0万"]),
        (120_000, "en", ["0", "30K", "60K", "90K", "120K"]),
        (2_000, "zh-hans", ["0", "500", "1,000", "1,500", "2,000"]),
        (2_000, "en", ["0", "500", "1K", "1.5K", "2K"]),
        (10_000_000, "zh-hans", ["0", "250.0万", "500.0万", "750.0万", "1,000.0万"]),
        (10_000_000, "en", ["0", "2.5M", "5M", "7.5M", "10M"]),
        (400_000_000, "zh-hans", ["0", "1.0亿", "2.0亿", "3.0亿", "4.0亿"]),
        (4_000_000_000, "en", ["0", "1B", "2B", "3B", "4B"]),
    ],
)
def test_the_axis_of_a_line_chart_shortens_big_numbers_as_the_language_does(
    top: int, language: str, ticks: list[str]
) -> None:
    # given a line chart whose highest value is ``top``
    chart = Chart(
        "消费", ["1月", "2月"], [("消费", [Decimal(0), Decimal(top)])], "line"
    )

    # when it is drawn in the language
    with translation.override(language):
        svg = str(chart_svg(chart, "spend"))

    # then the axis reads from zero up in that language's units
    assert _axis(svg)[:5] == ticks


def test_the_spoken_description_is_punctuated_as_the_language_writes() -> None:
    chart = Chart("Guests", ["A", "B"], [("2026", [3, 4]), ("2027", [5, 6])])

    with translation.override("en"):
        english = str(chart_svg(chart, "guests"))
    with translation.override("zh-hans"):
        chinese = str(chart_svg(chart, "guests"))

    assert "2026: A 3, B 4; 2027: A 5, B 6" in english
    assert not re.search("[，：；]", english)
    assert "2026：A 3，B 4；2027：A 5，B 6" in chinese


def _values(svg: str) -> list[str]:
    return re.findall(r"</title>([^<]*)</text>", svg)


def _fits(svg: str) -> None:
    """Every text ends inside the drawing, as wide as the estimate says."""
    from dossier.analyses.charts import WIDTH, _text_width

    for x, anchor, body in re.findall(
        r'<text x="([\d.]+)"[^>]*?(?:text-anchor="(\w+)")?[^>]*>(?:<title>[^<]*</title>)?'
        r"([^<]*)</text>",
        svg,
    ):
        size = 13 if anchor == "end" else 12
        end = float(x) if anchor == "end" else float(x) + _text_width(body, size)
        assert end <= WIDTH, body


@pytest.mark.parametrize(
    ("language", "unit", "shown"),
    [
        ("en", "yuan", ["34.5M yuan", "1.2M yuan"]),
        ("zh-hans", "元", ["3,453.5万元", "123.5万元"]),
    ],
)
def test_value_labels_beside_bars_are_shortened_and_fit_the_chart(
    language: str, unit: str, shown: list[str]
) -> None:
    # given money bars in the tens of millions, labelled in the language
    chart = Chart(
        "Profit",
        ["2025 full year", "6–10 visits or more"],
        [("Profit", [Decimal("34535263.76"), Decimal("1234567.89")])],
        unit=unit,
    )

    # when the chart is drawn
    with translation.override(language):
        svg = str(chart_svg(chart, "profit"))

    # then the labels are short, the exact figure is the tooltip, and all fit
    assert _values(svg) == shown
    assert f"<title>34,535,263.76 {unit}".replace(" 元", "元") in svg
    _fits(svg)


def test_bar_labels_get_the_room_their_language_needs() -> None:
    labels = ["2025 full year", "6–10 visits or more"]
    chart = Chart("Guests", labels, [("Guests", [3, 4])])

    with translation.override("en"):
        svg = str(chart_svg(chart, "guests"))

    # the whole English labels show, none cut with an ellipsis
    for label in labels:
        assert f'text-anchor="end">{label}</text>' in svg
    assert "…" not in svg


def test_a_label_too_long_for_two_fifths_of_the_chart_is_cut_with_a_tooltip() -> None:
    label = "A class of guests whose name is far too long to fit beside a bar"
    chart = Chart("Guests", [label], [("Guests", [3])])

    with translation.override("en"):
        svg = str(chart_svg(chart, "guests"))

    assert f"<title>{label}</title>" in svg
    assert "…</text>" in svg
    _fits(svg)


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("zh-hans", Decimal("103625345.57"), "¥1.04亿"),
        ("en", Decimal("103625345.57"), "¥103.63M"),
        ("en", Decimal("999999.99"), "¥999,999.99"),
        ("en", 1234, "1,234"),
    ],
)
def test_a_headline_figure_too_long_for_one_line_is_shortened(
    language: str, value: Decimal | int, shown: str
) -> None:
    from dossier.analyses.templatetags.analyses_ui import figure_short

    with translation.override(language):
        assert figure_short(value) == shown
