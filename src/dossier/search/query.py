"""Reading a query: which keys to look for, how each ranks and why it matched.

The syntax, one query box for every door:

* digits (spaces, dashes, full-width allowed): whole mobile, any tail of four or more
  digits of a phone, whole ID number or its last four, room number, card number;
* letters: name words (all words must match), pinyin from any syllable boundary, full
  or initials or full syllables then initials (``ouyangs``), card, company, tag, room;
* Chinese: name (either script), company from any word on, two-character words of
  notes (every word of the query must be there), preference shorthand (``低枕``);
* ``item: value`` (either colon, Chinese or English item name or code, English or
  Chinese value): a preference, e.g. ``枕头: 低``, ``pillow: low``, ``空调: 24``.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import IntEnum

from django.db import connection
from django.db.models import Q

from dossier.core.crypto import blind_index
from dossier.guests.models import PreferenceItem
from dossier.search.keys import compact
from dossier.zh.fold import cjk_ngrams, is_cjk
from dossier.zh.idnumber import InvalidIdNumber, parse_id_number
from dossier.zh.phones import InvalidPhone, normalize_phone

_PREFIX_END = "\U0010ffff"
MAX_FUZZY = 24
MIN_FUZZY = 3
_ROOM = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,7}")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")

# Sounds that speakers of southern Mandarin merge (模糊音), as input methods allow.
_CONFUSABLE = (
    ("zh", "z"),
    ("ch", "c"),
    ("sh", "s"),
    ("ang", "an"),
    ("eng", "en"),
    ("ing", "in"),
    ("n", "l"),
    ("h", "f"),
    ("r", "l"),
)
_CONFUSABLE_INITIALS = {"n": "l", "l": "n", "h": "f", "f": "h", "r": "l"}

# English words for the choices of the seeded catalogue, so "pillow: low" works.
VALUE_WORDS = {
    "low": "低",
    "medium": "中",
    "middle": "中",
    "high": "高",
    "double": "双枕",
    "down": "羽绒",
    "buckwheat": "荞麦",
    "memoryfoam": "记忆棉",
    "latex": "乳胶",
    "soft": "偏软",
    "medium-firm": "适中",
    "firm": "偏硬",
    "hard": "偏硬",
    "board": "加木板",
    "bright": "明亮",
    "dim": "昏暗",
    "nightlight": "夜灯常开",
    "light": "清淡",
    "salty": "偏咸",
    "sweet": "偏甜",
    "mildlyspicy": "微辣",
    "spicy": "重辣",
    "hotandsour": "酸辣",
}


class Rank(IntEnum):
    """How well a guest matched, best first."""

    EXACT = 0
    PREFIX = 1
    WORD = 2
    FUZZY = 3


@dataclass(frozen=True)
class KeyMatch:
    """A key condition: ``key`` itself, or every key starting with it."""

    key: str
    prefix: bool

    def q(self) -> Q:
        """The condition on ``SearchKey.key``, through the index on every database."""
        if not self.prefix:
            return Q(key=self.key)
        if connection.vendor == "postgresql":
            return Q(key__startswith=self.key)
        return Q(key__gte=self.key, key__lt=self.key + _PREFIX_END)

    def sql(self, column: str) -> tuple[str, list[str]]:
        """The same condition as SQL on ``column``: :meth:`q` for hand-built SQL."""
        if not self.prefix:
            return f"{column} = %s", [self.key]
        if connection.vendor == "postgresql":
            pattern = connection.ops.prep_for_like_query(self.key) + "%"
            return f"{column} LIKE %s", [pattern]
        return f"{column} >= %s AND {column} < %s", [self.key, self.key + _PREFIX_END]


@dataclass(frozen=True)
class Want:
    """One branch of a look-up: a key to scan, how a match ranks, why it matched.

    ``rank`` fixes the rank of a match; else it is exact when the key found is the key
    wanted and prefix otherwise. ``also`` lists groups of keys the guest must have
    too, one of each group (the other words of a query).
    """

    match: KeyMatch
    reason: str
    rank: Rank | None = None
    also: tuple[tuple[KeyMatch, ...], ...] = ()


@dataclass
class Plan:
    """What to look for: key branches, a room number, and fuzzy keys for a retry."""

    wants: list[Want] = field(default_factory=list)
    room: str = ""
    fuzzy: list[Want] = field(default_factory=list)


def _want(
    key: str, reason: str, *, prefix: bool = True, rank: Rank | None = None
) -> Want:
    return Want(KeyMatch(key, prefix), reason, rank)


def _digits(query: str) -> str:
    text = unicodedata.normalize("NFKC", query)
    return "".join(ch for ch in text if ch not in " -()（）")


def _document_wants(digits: str) -> list[Want]:
    try:
        number = parse_id_number(digits).number
    except InvalidIdNumber:
        return []
    return [
        _want("d:" + blind_index(f"{kind}:{number}"), "id", prefix=False)
        for kind in ("resident_id", "hmt_residence")
    ]


def _numeric_wants(digits: str) -> list[Want]:
    wants: list[Want] = []
    if len(digits) in (15, 18):
        wants += _document_wants(digits)
    try:
        phone = normalize_phone(digits)
        national = phone.e164[3:] if phone.e164.startswith("+86") else phone.e164[1:]
        wants.append(_want("m:" + national, "phone", prefix=False))
    except InvalidPhone:
        pass
    if digits.startswith("+"):
        return wants
    if len(digits) >= 4:
        wants.append(_want("r:" + digits[::-1], "phone_tail"))
    if len(digits) == 4:
        wants.append(_want("dt:" + digits.upper(), "id_tail", prefix=False))
    wants.append(_want("c:" + digits.lower(), "card"))
    return wants


def _note_want(key: str, reason: str = "note") -> Want | None:
    """Guests whose notes hold every two-character word of a Chinese ``key``."""
    if len(key) < 2 or not all(is_cjk(ch) for ch in key):
        return None
    first, *others = sorted(cjk_ngrams(key, 2))
    also = tuple((KeyMatch("w:" + word, False),) for word in others)
    return Want(KeyMatch("w:" + first, False), reason, Rank.WORD, also)


def _word_wants(key: str) -> list[Want]:
    """The branches of one word of a query."""
    wants = [
        _want("n:" + key, "name"),
        _want("co:" + key, "company"),
        _want("cs:" + key, "company", rank=Rank.WORD),
        _want("c:" + key, "card"),
        _want("t:" + key, "tag"),
    ]
    if key.isascii() and key.isalpha():
        wants += [_want("p:" + key, "pinyin"), _want("i:" + key, "initials")]
    note = _note_want(key)
    if note is not None:
        wants += [note, _want("pv:" + key, "preference")]
    return wants


def _any_of(word: str) -> tuple[KeyMatch, ...]:
    """Keys one further word of a query may match for the guest to qualify."""
    kinds = ["n:", "co:", "cs:", "t:"]
    if word.isascii() and word.isalpha():
        kinds += ["p:", "i:"]
    return tuple(KeyMatch(kind + word, True) for kind in kinds)


def _words_wants(words: list[str]) -> list[Want]:
    """A query of several words: the whole run together, or every word (AND)."""
    wants = _word_wants("".join(words))
    also = tuple(_any_of(word) for word in words[1:])
    first = words[0]
    kinds = [("n:", "name"), ("co:", "company"), ("cs:", "company")]
    if first.isascii() and first.isalpha():
        kinds += [("p:", "pinyin")]
    wants += [
        Want(KeyMatch(kind + first, True), reason, None, also) for kind, reason in kinds
    ]
    return wants


def fuzzy_variants(word: str) -> list[str]:
    """One edit away: a merged sound (zh/z, ang/an, n/l…) or two letters swapped."""
    variants: list[str] = []
    for one, other in _CONFUSABLE:
        for a, b in ((one, other), (other, one)):
            for found in re.finditer(re.escape(a), word):
                start, end = found.span()
                variants.append(word[:start] + b + word[end:])
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            variants.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    unique = [v for v in dict.fromkeys(variants) if v != word]
    return unique[:MAX_FUZZY]


def _initials_variants(word: str) -> list[str]:
    variants = [
        word[:i] + _CONFUSABLE_INITIALS[ch] + word[i + 1 :]
        for i, ch in enumerate(word)
        if ch in _CONFUSABLE_INITIALS
    ]
    variants += [
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(len(word) - 1)
        if word[i] != word[i + 1]
    ]
    return list(dict.fromkeys(variants))[:MAX_FUZZY]


def _fuzzy_wants(key: str) -> list[Want]:
    if len(key) < MIN_FUZZY or not (key.isascii() and key.isalpha()):
        return []
    wants = [
        _want("p:" + v, "fuzzy_pinyin", rank=Rank.FUZZY) for v in fuzzy_variants(key)
    ]
    wants += [
        _want("i:" + v, "fuzzy_initials", prefix=False, rank=Rank.FUZZY)
        for v in _initials_variants(key)
    ]
    return wants


def _number(value: str) -> str | None:
    found = _NUMBER.match(value)
    if found is None:
        return None
    try:
        return format(Decimal(found.group()).normalize(), "f")
    except InvalidOperation:
        return None


def _items(name: str) -> list[tuple[str, str]]:
    """Catalogue items called ``name`` (code, Chinese or English name), else those
    whose name starts with it; as (code, kind)."""
    rows = PreferenceItem.objects.values_list("code", "name", "name_en", "kind")
    exact: list[tuple[str, str]] = []
    starting: list[tuple[str, str]] = []
    for code, item_name, name_en, kind in rows:
        names = [compact(code), compact(item_name), compact(name_en)]
        if name in names:
            exact.append((code, kind))
        elif any(n.startswith(name) for n in names if n):
            starting.append((code, kind))
    return exact or starting


def preference_matches(text: str) -> list[KeyMatch]:
    """The keys of ``item: value``; empty when ``text`` is not of that form or names
    no catalogue item."""
    item, colon, value = text.replace("：", ":").partition(":")
    item, value = compact(item), compact(value)
    if not colon or not item or not value:
        return []
    matches: list[KeyMatch] = []
    for code, kind in _items(item):
        wanted = VALUE_WORDS.get(value, value)
        if kind == "number":
            wanted = _number(value) or wanted
        matches.append(KeyMatch(f"pv:{code}={wanted}", True))
    return matches


def preference_condition(text: str) -> Q:
    """The preference filter ``item: value`` as a condition on ``SearchKey``; a
    filter that names no item matches no guest."""
    matches = preference_matches(text)
    if not matches:
        return Q(pk__in=[])
    condition = Q()
    for match in matches:
        condition |= match.q()
    return condition


def plan_query(query: str) -> Plan:
    """The branches that answer ``query``, routed by its shape."""
    query = query.strip()
    if not query:
        return Plan()
    digits = _digits(query)
    if digits.startswith("+") and digits[1:].isdigit():
        return Plan(wants=_numeric_wants(digits))
    if digits.isdigit() or (digits[:-1].isdigit() and digits[-1:] in "xX"):
        return Plan(wants=_numeric_wants(digits), room=digits)
    if ":" in query or "：" in query:
        matches = preference_matches(query)
        return Plan(wants=[Want(m, "preference") for m in matches])
    room = query.upper() if query.isascii() and _ROOM.fullmatch(query) else ""
    words = [compact(word) for word in query.split()]
    words = [word for word in words if word]
    if not words:
        return Plan()
    wants = _word_wants(words[0]) if len(words) == 1 else _words_wants(words)
    return Plan(wants=wants, room=room, fuzzy=_fuzzy_wants("".join(words)))
