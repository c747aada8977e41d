"""Folding text into search keys: width, case, accents and Chinese script variants.

``fold`` is applied to both what is indexed and what is typed, so that ``ＡＢＣ`` finds
``abc``, ``Élodie`` finds ``elodie`` and ``陳`` finds ``陈``.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable

from opencc import OpenCC

# Combining marks are dropped only after Latin, Greek and Cyrillic letters; after kana
# or Hangul they change the character itself (カ and ガ are different sounds).
_ACCENTED_SCRIPTS_END = 0x0530
_CJK_RANGES = (
    (0x3007, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x323AF),
)


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Return the search key of ``text``.

    Full-width forms become half-width (NFKC), case is folded (``ß`` becomes ``ss``),
    accents on Latin, Greek and Cyrillic letters are removed, traditional Chinese
    becomes simplified, and runs of white space become one space, trimmed at both ends.
    Names, surnames and words repeat across an archive, so results are cached.
    """
    if text.isascii():
        return " ".join(text.lower().split())
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _strip_accents(folded)
    return " ".join(to_simplified(folded).split())


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified; other text is unchanged."""
    return _t2s()(text)


def is_cjk(char: str) -> bool:
    """True if ``char`` is a CJK unified or compatibility ideograph (or 〇)."""
    point = ord(char)
    if 0x4E00 <= point <= 0x9FFF:  # the common block, checked first for speed
        return True
    return any(low <= point <= high for low, high in _CJK_RANGES)


def cjk_ngrams(text: str, n: int = 2) -> set[str]:
    """Return the ``n``-character grams of every run of CJK ideographs in ``text``.

    A run shorter than ``n`` contributes itself whole, so a lone character is still a
    key. Other characters only separate runs. Pass folded text so that index and query
    agree. Raises ``ValueError`` if ``n`` is less than 1.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    grams: set[str] = set()
    for run in _cjk_runs(text):
        if len(run) < n:
            grams.add(run)
        else:
            grams.update(run[i : i + n] for i in range(len(run) - n + 1))
    return grams


def _cjk_runs(text: str) -> list[str]:
    """Split ``text`` into its maximal runs of CJK ideographs."""
    runs: list[str] = []
    current: list[str] = []
    for char in text:
        if is_cjk(char):
            current.append(char)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def _strip_accents(text: str) -> str:
    """Remove combining marks that follow a Latin, Greek or Cyrillic base letter."""
    kept: list[str] = []
    base = ""
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if base and ord(base) < _ACCENTED_SCRIPTS_END:
                continue
        else:
            base = char
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


@functools.cache
def _t2s() -> Callable[[str], str]:
    """Build the traditional-to-simplified converter once (it reads dictionaries)."""
    converter = OpenCC("t2s")

    def convert(text: str) -> str:
        return str(converter.convert(text))

    return convert
