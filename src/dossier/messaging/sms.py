"""How long an SMS is, in how many parts it goes, and what it costs.

Carriers count a Chinese SMS in UTF-16 code units: 70 fit one message; a longer text
is sent in parts of 67, the other three units carrying the header that joins them. A
character outside the Basic Multilingual Plane (𠮷) takes two units and never splits.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from dossier.core.money import FEN

SINGLE_UNITS = 70
PART_UNITS = 67

_FIELD = re.compile(r"\{(\w+)\}")


def sms_units(text: str) -> int:
    """The UTF-16 code units of ``text``: 1 for 欧, 2 for 𠮷 (a stray surrogate, 1)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def sms_split(text: str) -> list[str]:
    """The parts ``text`` is sent in: one up to 70 units, else parts of at most 67."""
    if sms_units(text) <= SINGLE_UNITS:
        return [text] if text else []
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        units = sms_units(char)
        if used + units > PART_UNITS:
            parts.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += units
    parts.append("".join(current))
    return parts


def sms_render(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each ``{field}`` replaced; an unknown field is an error."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"template field {{{name}}} has no value")
        return values[name]

    return _FIELD.sub(value, template)


@dataclass(frozen=True)
class SmsPreview:
    text: str
    units: int
    parts: int
    cost: Decimal  # yuan


def sms_preview(text: str, *, cost_per_part_fen: int | None = None) -> SmsPreview:
    """Length, parts and cost of ``text``; the price per part is a setting, in fen."""
    fen = (
        settings.DOSSIER_SMS_COST_FEN
        if cost_per_part_fen is None
        else cost_per_part_fen
    )
    parts = len(sms_split(text))
    return SmsPreview(
        text=text,
        units=sms_units(text),
        parts=parts,
        cost=(Decimal(parts * fen) / 100).quantize(FEN),
    )
