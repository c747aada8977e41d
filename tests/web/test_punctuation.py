"""Punctuation beside translated words: Chinese as it is, English in its own marks."""

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template(
    '{% load punctuation %}{{ label }}{% punct "：" %}{{ value }}'
    '{% punct "（" %}{{ count }}{% punct "）" %} {{ items|join_items }}'
    ' {{ items|join_items:"；" }}'
)


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("zh-hans", "结果：已回电（2） 靠窗、无烟 靠窗；无烟"),
        ("en", "Outcome: called back (2) 靠窗, 无烟 靠窗; 无烟"),
    ],
)
def test_marks_between_words_follow_the_language_and_values_stay(
    language: str, shown: str
) -> None:
    # given a label, a value typed in Chinese, a count and two items
    label = "结果" if language == "zh-hans" else "Outcome"
    value = "已回电" if language == "zh-hans" else "called back"
    context = Context(
        {"label": label, "value": value, "count": 2, "items": ["靠窗", "无烟"]}
    )

    # when rendered in the language
    with translation.override(language):
        rendered = TEMPLATE.render(context)

    # then the marks are the language's, the items as they were typed
    assert rendered == shown


def test_joined_items_are_escaped() -> None:
    with translation.override("en"):
        rendered = Template("{% load punctuation %}{{ items|join_items }}").render(
            Context({"items": ["<b>", "&"]})
        )

    assert rendered == "&lt;b&gt;, &amp;"
