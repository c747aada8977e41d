"""Line breaking for the archive's PDFs: Chinese with a simple kinsoku rule.

Chinese may break between any two characters, but a line never starts with closing
punctuation (、，。） …) and never ends with an opening bracket (（《 …); numbers
and Latin words (2015, 01-A011-02, docx) are never split. Column widths are fitted
so that dates, numbers and short headings stay on one line and only long text wraps.
"""

import re
from collections.abc import Callable, Mapping, Sequence

Measure = Callable[[str], float]

# Closing punctuation that may not start a line (行首禁则), and opening marks that may
# not end one (行尾禁则).
CANNOT_START = frozenset("、，。；：？！）》」』】〕〉’”…%,.;:?!)]}·")
CANNOT_END = frozenset("（《「『【〔〈‘“([{")
_UNIT = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.:%+#@&']*|\s+|.", re.DOTALL)


def units(text: str) -> list[str]:
    """``text`` cut where a line may break, punctuation glued to its neighbour."""
    glued: list[str] = []
    for match in _UNIT.finditer(text):
        unit = match.group()
        sticks = glued and not unit.isspace() and not glued[-1].isspace()
        if sticks and (unit[0] in CANNOT_START or glued[-1][-1] in CANNOT_END):
            glued[-1] += unit
        else:
            glued.append(unit)
    return glued


def _split_long(unit: str, width: float, measure: Measure) -> list[str]:
    """A unit wider than the column, cut into pieces that fit (at least one char)."""
    pieces, piece = [], ""
    for char in unit:
        if piece and measure(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """The lines of ``text`` in a column ``width`` wide, as ``measure`` measures."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in units(paragraph):
            if measure(line + unit) <= width:
                if line or not unit.isspace():
                    line += unit
                continue
            if line.strip():
                lines.append(line.rstrip())
                line = ""
            if unit.isspace():
                continue
            if measure(unit) > width:
                *full, unit = _split_long(unit, width, measure)
                lines.extend(full)
            line = unit
        lines.append(line.rstrip())
    return lines


def fit_widths(
    columns: Sequence[Sequence[str]],
    total: float,
    measure: Measure,
    *,
    flexible: Mapping[int, float],
    padding: float,
    cap: float,
) -> list[float]:
    """Widths of columns summing to ``total``.

    Each column not in ``flexible`` is as wide as its widest text (heading included)
    plus ``padding``, up to ``cap``; the ``flexible`` ones (long text) share what is
    left in proportion to their weights.
    """
    widths = [0.0] * len(columns)
    for index, texts in enumerate(columns):
        if index not in flexible:
            natural = max((measure(text) for text in texts), default=0.0)
            widths[index] = min(natural + padding + 1, cap)
    left = max(total - sum(widths), 0.0)
    weight = sum(flexible.values())
    for index, share in flexible.items():
        widths[index] = left * share / weight
    return widths
