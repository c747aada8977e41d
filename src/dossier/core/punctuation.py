"""Punctuation between words, written as the active language writes it.

Chinese text puts a full-width colon after a label, full-width brackets around a
count and an enumeration comma between items. Where such a mark joins translated words
or values, an English reader gets ``: ``, `` (``, ``)`` and ``, `` instead; the text of
guests and staff is never changed.
"""

from django.utils.translation import get_language

_ENGLISH = {
    "：": ": ",
    "（": " (",
    "）": ")",
    "，": ", ",
    "、": ", ",
    "；": "; ",
    "。": ". ",
    "！": "! ",
    "？": "? ",
    "\u3000": " ",
}


def punctuation(marks: str) -> str:
    """``marks`` in the active language: ``"："`` stays in Chinese, is ``": "`` in English."""
    if not (get_language() or "").startswith("en"):
        return marks
    return "".join(_ENGLISH.get(mark, mark) for mark in marks)
