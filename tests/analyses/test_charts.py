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
