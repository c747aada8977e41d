"""``{% punct "：" %}`` and ``|join_items``: punctuation beside translated words and
values, written as the reader's language writes it (see ``core.punctuation``)."""

from collections.abc import Iterable
from typing import Any

from django import template

from dossier.core.punctuation import punctuation

register = template.Library()


@register.simple_tag
def punct(marks: str) -> str:
    """``{% punct "：" %}`` after a translated label, ``{% punct "（" %}`` before a count."""
    return punctuation(marks)


@register.filter
def join_items(items: Iterable[Any], mark: str = "、") -> str:
    """Items joined by ``mark`` (、 unless named) as the active language writes it."""
    return punctuation(mark).join(str(item) for item in items)
