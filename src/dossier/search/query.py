"""Reading a query: which keys to look for, how each ranks and why it matched.

The syntax, one query box for every door:

* digits (spaces, dashes, full-width allowed): whole mobile, any tail of four or more
  digits of a phone, whole ID number or its last four, room number, card number;
* letters and digits (``E12345678``, ``C01X00T47``, either case): a whole passport,
  permit or other document number, or its last four (``0T47``);
* letters: name words (all words must match), pinyin from any syllable boundary, full
  or initials or full syllables then initials (``ouyangs``), card, company, tag, room;
  ``ü`` may be typed ``v``, ``u:`` or ``yu`` (``lv``, ``lü``, ``lu:``, ``lyu`` are 吕);
  a surname alone ranks guests of that surname first (``chen``: 陈 before 李晨);
* a surname with a form of address (``王先生``, ``李总``, ``Mr Wang``): guests of that
  surname, of the gender the form implies unless theirs is unknown;
* Chinese: name (either script), company from any word on, two-character words of
  notes (every word of the query must be there), preference shorthand (``低枕``);
* several words: every word must match, each in its own way (``王 1234`` is a 王 whose
  phone ends in 1234, ``靠窗 过敏`` a note with both words, ``sxw 华为``);
* punctuation and symbols typed around or between words (``王伟。``, ``(王伟)``, an
  emoji) separate words; marks inside a name (Jean-Pierre, O'Neil, 阿依古丽·买买提)
  may be typed, left out or replaced by a space;
* ``item: value`` (either colon, Chinese or English item name or code, English or
  Chinese value): a preference, e.g. ``枕头: 低``, ``pillow: low``, ``空调: 24``.

Only the first :data:`MAX_WORDS` words of a query, and of a Chinese run the first
:data:`MAX_NOTE_WORDS` two-character words, are used; the plan says how many were left
out so that every door can tell the user.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import IntEnum

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from dossier.guests.errors import GuestError
from dossier.guests.models import DocumentType, PreferenceItem
from dossier.guests.services import IdentityInput, document_index, parse_identity
from dossier.search.keys import (
    MAX_KEY,
    NAME_JOINERS,
    compact,
    pinyin_spelling,
    unjoined,
)
from dossier.zh.fold import is_cjk
from dossier.zh.names import Address, address_parse, is_latin_address_form
from dossier.zh.phones import InvalidPhone, normalize_phone

_PREFIX_END = "\U0010ffff"
MAX_FUZZY = 24
MIN_FUZZY = 3
# Enough for a name, a company and a word of a note; more only slows every look-up.
MAX_WORDS = 6
MAX_NOTE_WORDS = 8
_ROOM = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,7}")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# ü as people type it without the letter: u: (lu:), yu after l and n (Lyu, passports).
_U_COLON = re.compile(r"([ln])u:", re.IGNORECASE)
_UMLAUT = str.maketrans(dict.fromkeys("üǖǘǚǜÜǕǗǙǛ", "v"))
_LYU = re.compile(r"^([ln])yu")
# Kept in a query: marks inside words, and what phone numbers and ``item: value``
# need; every other punctuation mark, symbol or emoji separates words.
_KEPT_MARKS = frozenset(NAME_JOINERS + "&+:：")
_QUOTES = str.maketrans(dict.fromkeys("‘’`", "'"))

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
    ("lv", "lu"),
    ("nv", "nu"),
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

    SURNAME = 0
    EXACT = 1
    PREFIX = 2
    WORD = 3
    FUZZY = 4


# Within a rank, what four digits or more most likely are, first: a whole phone, ID
# or card number, the room, then a phone's tail (the desk asks for the last four of
# the mobile far more often than for those of an ID), an ID's last four. Every other
# reason comes first, in no order of its own.
REASON_ORDER = {"room": 1, "phone_tail": 2, "id_tail": 3}


def reason_order(reason: str) -> int:
    """Where ``reason`` comes within a rank (see :data:`REASON_ORDER`)."""
    return REASON_ORDER.get(reason, 0)


@dataclass(frozen=True)
class KeyMatch:
    """A key condition: ``key`` itself, or every key starting with it.

    Keys are stored cut to ``MAX_KEY`` characters, so a longer key is looked for as
    the prefix it was stored as (a company name of a hundred letters typed whole).
    ``others`` are keys that match exactly as well as ``key`` does, in one probe of
    the index (one number hashed as each type of document it can be).
    """

    key: str
    prefix: bool
    others: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.key) > MAX_KEY:
            object.__setattr__(self, "key", self.key[:MAX_KEY])
            object.__setattr__(self, "prefix", True)

    def q(self) -> Q:
        """The condition on ``SearchKey.key``, through the index on every database."""
        if self.others:
            return Q(key__in=[self.key, *self.others])
        if not self.prefix:
            return Q(key=self.key)
        if connection.vendor == "postgresql":
            return Q(key__startswith=self.key)
        return Q(key__gte=self.key, key__lt=self.key + _PREFIX_END)

    def sql(self, column: str) -> tuple[str, list[str]]:
        """The same condition as SQL on ``column``: :meth:`q` for hand-built SQL."""
        if self.others:
            marks = ", ".join(["%s"] * (1 + len(self.others)))
            return f"{column} IN ({marks})", [self.key, *self.others]
        if not self.prefix:
            return f"{column} = %s", [self.key]
        end = self.key + _PREFIX_END
        if connection.vendor == "postgresql":
            # The byte-wise comparisons of the pattern operator class: unlike a
            # LIKE pattern, a range stays an index range in a prepared statement's
            # generic plan, whatever the key.
            return f"({column} ~>=~ %s AND {column} ~<~ %s)", [self.key, end]
        return f"{column} >= %s AND {column} < %s", [self.key, end]


@dataclass(frozen=True)
class Want:
    """One branch of a look-up: a key to scan, how a match ranks, why it matched.

    ``rank`` fixes the rank of a match; else it is exact when the key found is the key
    wanted and prefix otherwise. ``also`` lists what else the guest must have (the
    other words of a query): from each group one alternative, an alternative being
    keys the guest has all of (one key, or every two-character word of a note).
    """

    match: KeyMatch
    reason: str
    rank: Rank | None = None
    also: tuple[tuple["AllOf", ...], ...] = ()


# Keys a guest must have every one of.
AllOf = tuple[KeyMatch, ...]


@dataclass
class Plan:
    """What to look for: key branches, a room number, and fuzzy keys for a retry."""

    wants: list[Want] = field(default_factory=list)
    room: str = ""
    # ``room`` is the start of room numbers (T47: T4701, T4702…), not a whole one.
    room_prefix: bool = False
    # What the guest in ``room`` must also have: the other words of ``王 812``.
    room_also: tuple[tuple["AllOf", ...], ...] = ()
    fuzzy: list[Want] = field(default_factory=list)
    # "M" or "F" when a form of address implies it: guests known to be of the other
    # gender are left out.
    gender: str = ""
    # Words (or two-character words of a Chinese run) beyond the caps, not searched,
    # and what to tell the user of them.
    dropped: int = 0
    notice: str = ""


# Room numbers the PMS writes with a leading zero (0812) are said and typed without
# it (812), and the other way round; up to this many digits both forms are one room.
ROOM_DIGITS = 4
# The fewest digits that make a phone tail or the last four of an ID number.
MIN_TAIL = 4


def room_forms(room: str) -> list[str]:
    """The ways one room number is written: ``812`` and ``0812`` are one room."""
    if not room.isdigit():
        return [room]
    bare = room.lstrip("0") or "0"
    padded = [bare.rjust(width, "0") for width in range(len(bare), ROOM_DIGITS + 1)]
    return list(dict.fromkeys([room, *padded]))


def _want(
    key: str, reason: str, *, prefix: bool = True, rank: Rank | None = None
) -> Want:
    return Want(KeyMatch(key, prefix), reason, rank)


def _digits(query: str) -> str:
    text = unicodedata.normalize("NFKC", query)
    return "".join(ch for ch in text if ch not in " -()（）")


def _document_shaped(text: str) -> bool:
    """Letters and digits with a digit among them: what a document number is made of
    (a resident ID, a passport such as E12345678, a permit)."""
    return text.isascii() and text.isalnum() and any(ch.isdigit() for ch in text)


def document_matches(text: str) -> list[tuple[str, KeyMatch]]:
    """``text`` as a document number, each with its reason: the keyed hash of the
    whole number for every type of document it can be the number of, read as the
    profile stores it (``parse_identity``: a passport upper-case, an ID's check
    digit); four characters as a document's last four."""
    if not _document_shaped(text):
        return []
    if len(text) == MIN_TAIL:
        return [("id_tail", KeyMatch("dt:" + text.upper(), False))]
    hashes: list[str] = []
    for types in _document_families(text):
        # ``parse_identity`` reads a number alike for every type of a family.
        try:
            number, _birth, _gender = parse_identity(IdentityInput(text, types[0]))
        except GuestError:
            continue
        hashes += ["d:" + document_index(doc_type, number) for doc_type in types]
    if not hashes:
        return []
    return [("id", KeyMatch(hashes[0], False, tuple(hashes[1:])))]


# Resident IDs and the residence permits of Hong Kong, Macao and Taiwan: 15 or 18
# characters with a check digit; every other type holds letters and digits as typed.
_RESIDENT_TYPES = (DocumentType.RESIDENT_ID, DocumentType.HMT_RESIDENCE)
_RESIDENT_LENGTHS = (15, 18)
_OTHER_TYPES = tuple(t for t in DocumentType if t not in _RESIDENT_TYPES)


def _document_families(text: str) -> list[tuple[DocumentType, ...]]:
    """The types of document ``text`` may be the number of, by family."""
    if len(text) in _RESIDENT_LENGTHS:
        return [_RESIDENT_TYPES, _OTHER_TYPES]
    return [_OTHER_TYPES]


def _numeric_wants(digits: str) -> list[Want]:
    wants = [Want(m, reason, Rank.EXACT) for reason, m in document_matches(digits)]
    try:
        phone = normalize_phone(digits)
        national = phone.e164[3:] if phone.e164.startswith("+86") else phone.e164[1:]
        wants.append(_want("m:" + national, "phone", prefix=False))
    except InvalidPhone:
        pass
    if digits.startswith("+"):
        return wants
    if len(digits) >= MIN_TAIL:
        # A tail typed is matched whole: the end of the number is what was meant.
        wants.append(_want("r:" + digits[::-1], "phone_tail", rank=Rank.EXACT))
    wants.append(_want("c:" + digits.lower(), "card"))
    return wants


@dataclass(frozen=True)
class Word:
    """One word of a query: folded (``key``) and as pinyin (``spell``: ``ü`` as ``v``;
    empty unless the word is letters only)."""

    key: str
    spell: str = ""

    @property
    def numeric(self) -> bool:
        """Digits (a phone or card number, its tail), or an ID number's tail."""
        return self.key.isdigit() or (self.key[:-1].isdigit() and self.key[-1:] == "x")

    def forms(self) -> list[str]:
        """The word as typed and, when it holds joining marks, without them: names
        and cards are keyed both ways (``o'neil`` and ``oneil`` find O'Neil and
        O’Neil, ``vip88001`` finds VIP-88001)."""
        bare = unjoined(self.key)
        return [self.key] if bare in ("", self.key) else [self.key, bare]


def query_word(raw: str) -> Word:
    """A word as typed: ``Lü`` is ``lu``, spelt ``lv``; ``lu:`` and ``Lyu`` too."""
    raw = raw.translate(_QUOTES)
    number = _digits(raw)
    if number.isdigit() or (number[:-1].isdigit() and number[-1:] in "xX"):
        return Word(number.lower())  # 138-1234-1234 among other words
    key = compact(_U_COLON.sub(r"\1u", raw))
    spell = compact(_U_COLON.sub(r"\1v", raw.translate(_UMLAUT)))
    spell = pinyin_spelling(_LYU.sub(r"\1v", spell))
    return Word(key, spell if spell.isascii() and spell.isalpha() else "")


def _separated(query: str) -> str:
    """``query`` with every punctuation mark, symbol and emoji but those kept (see
    ``_KEPT_MARKS``) turned into a space, and marks trimmed from the ends of words."""
    text = "".join(
        " " if ch not in _KEPT_MARKS and _separates(ch) else ch
        for ch in unicodedata.normalize("NFKC", query)
    )
    words = (word.strip(NAME_JOINERS + "&") for word in text.split())
    return " ".join(word for word in words if word)


def _numbers_joined(words: list[Word]) -> list[Word]:
    """Numbers next to each other are one number typed in groups (王 138 1234 1234)."""
    joined: list[Word] = []
    for word in words:
        if joined and word.key.isdigit() and joined[-1].key.isdigit():
            joined[-1] = Word(joined[-1].key + word.key)
        else:
            joined.append(word)
    return joined


def _separates(char: str) -> bool:
    """Punctuation, symbols (emoji too, with their selectors and joiners), controls."""
    category = unicodedata.category(char)
    return category[0] in "PSC" or category == "Me" or "\ufe00" <= char <= "\ufe0f"


def _note_words(key: str) -> list[str]:
    """The two-character words of a Chinese ``key`` in order, without repeats."""
    return list(dict.fromkeys(key[i : i + 2] for i in range(len(key) - 1)))


def _note_want(key: str, reason: str = "note") -> Want | None:
    """Guests whose notes hold every two-character word of a Chinese ``key`` (the
    first :data:`MAX_NOTE_WORDS` of them)."""
    words = _note_keys(key)
    if not words:
        return None
    also = tuple((words[i : i + 1],) for i in range(1, len(words)))
    return Want(words[0], reason, Rank.WORD, also)


def _note_keys(key: str) -> AllOf:
    """The two-character words of a Chinese ``key``, all of which a note must hold;
    none when ``key`` is not a Chinese word of two characters or more."""
    if len(key) < 2 or not all(is_cjk(ch) for ch in key):
        return ()
    return tuple(KeyMatch("w:" + w, False) for w in _note_words(key)[:MAX_NOTE_WORDS])


def _surname_wants(word: Word, rank: Rank) -> list[Want]:
    """Guests whose surname is the word, in either script or as pinyin."""
    wants: list[Want] = []
    if word.key and (word.spell or len(word.key) <= 4):
        wants.append(_want("s:" + word.key, "surname", prefix=False, rank=rank))
    if word.spell:
        wants.append(_want("sp:" + word.spell, "surname", prefix=False, rank=rank))
    return wants


def _word_wants(word: Word) -> list[Want]:
    """The branches of one word of a query."""
    key = word.key
    wants = [
        *(_want("n:" + form, "name") for form in word.forms()),
        _want("co:" + key, "company"),
        _want("cs:" + key, "company", rank=Rank.WORD),
        *(_want("c:" + form, "card") for form in word.forms()),
        _want("t:" + key, "tag"),
    ]
    if word.spell:
        wants += [
            _want("p:" + word.spell, "pinyin"),
            _want("i:" + word.spell, "initials"),
        ]
    note = _note_want(key)
    if note is not None:
        wants += [note, _want("pv:" + key, "preference")]
    wants += [Want(m, reason, Rank.EXACT) for reason, m in document_matches(key)]
    return wants


def _alternatives(word: Word) -> list[tuple[str, AllOf]]:
    """The ways one word of several may match, each with its reason: a number as a
    phone, its tail, the last four of an ID or a card (see ``_numeric_wants``); a
    surname with a form of address (王先生) as the surname; else a name, company,
    tag, pinyin, initials or every two-character word of a note."""
    if word.numeric:
        digits = word.key if word.key.isdigit() else word.key.upper()
        return [(want.reason, (want.match,)) for want in _numeric_wants(digits)]
    address = address_parse(word.key)
    if address is not None and is_cjk(address.surname[:1]):
        surname = KeyMatch("s:" + query_word(address.surname).key, False)
        return [("surname", (surname,))]
    kinds = [("n:", form, "name") for form in word.forms()]
    kinds += [
        ("co:", word.key, "company"),
        ("cs:", word.key, "company"),
        ("t:", word.key, "tag"),
    ]
    if word.spell:
        kinds += [("p:", word.spell, "pinyin"), ("i:", word.spell, "initials")]
    found: list[tuple[str, AllOf]] = [
        (reason, (KeyMatch(kind + key, True),)) for kind, key, reason in kinds
    ]
    found += [(reason, (match,)) for reason, match in document_matches(word.key)]
    if notes := _note_keys(word.key):
        found.append(("note", notes))
    return found


def _joined(words: list[Word]) -> Word:
    spells = [word.spell for word in words]
    return Word("".join(w.key for w in words), "".join(spells) if all(spells) else "")


def _words_wants(words: list[Word]) -> list[Want]:
    """A query of several words: the whole run together, or every word (AND). The
    rarest word is scanned for, each of its ways a branch needing the other words;
    words matched one by one rank below the run matched whole ("yan yan" is 严艳
    before every 燕 whose surname also reads yan)."""
    wants = _word_wants(_joined(words))
    first, *others = sorted(words, key=_rarity)
    also = tuple(tuple(keys for _, keys in _alternatives(word)) for word in others)
    for reason, (scanned, *rest) in _alternatives(first):
        needed = tuple(((key,),) for key in rest)
        wants.append(Want(scanned, reason, Rank.WORD, needed + also))
    return wants


def _implied_gender(words: list[Word]) -> str:
    """The gender a form of address among the words implies (王女士 5555)."""
    for word in words:
        address = address_parse(word.key)
        if address is not None and address.gender:
            return address.gender
    return ""


def _rarity(word: Word) -> tuple[int, int]:
    """Which word to scan for first, rarest first: each row it reads is asked for
    every other word, so a phone tail (one guest in thousands) beats 王, a long word
    a short one, and a number too short to be a tail comes last."""
    if word.numeric or _document_shaped(word.key):
        return (0, 0) if len(word.key) >= MIN_TAIL else (2, 0)
    return (1, -len(word.key))


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


def _address_plan(query: str, address: Address) -> Plan:
    """王先生, Mr Wang: guests of the surname, the literal text too (a note may hold
    it), without guests known to be of the other gender."""
    surname = query_word(address.surname)
    wants = _surname_wants(surname, Rank.EXACT)
    if is_cjk(surname.key[:1]):
        wants += _word_wants(query_word("".join(query.split())))
    return Plan(wants=wants, gender=address.gender)


def _notice(words: int, dropped_words: int, dropped_notes: int) -> str:
    """What the user is told when part of a long query was not searched."""
    if dropped_words:
        return _("检索内容有 %(words)d 个词，只按前 %(max)d 个词检索") % {
            "words": words,
            "max": MAX_WORDS,
        }
    if dropped_notes:
        return _("检索内容较长，只按前 %(max)d 个字检索") % {"max": MAX_NOTE_WORDS + 1}
    return ""


# A room number among other words (王 812) has at most this many characters; longer
# digits are a phone or an ID number.
MAX_ROOM_WORD = 6


def _room_word(word: Word) -> bool:
    """Whether a word of several may be a room number: digits or letters and digits
    (812, 0812, T4701), short enough not to be a phone."""
    key = word.key
    return (
        len(key) <= MAX_ROOM_WORD
        and _ROOM.fullmatch(key) is not None
        and any(ch.isdigit() for ch in key)
    )


def _room_with_words(words: list[Word]) -> tuple[str, tuple[tuple[AllOf, ...], ...]]:
    """``王 812``: the room (812) and what its guest must also have (the surname 王,
    or another name, company, tag…), when exactly one word is room-shaped; else
    no room."""
    rooms = [word for word in words if _room_word(word)]
    if len(rooms) != 1:
        return "", ()
    others = [word for word in words if word is not rooms[0]]
    also = tuple(tuple(keys for _, keys in _alternatives(word)) for word in others)
    return rooms[0].key.upper(), also


def _room_prefix_shaped(room: str) -> bool:
    """Letters and digits (T47, A12): the start of a room number such as T4701; a
    number of digits alone is one room (812 is 812 or 0812, not 8120)."""
    return (
        any(ch.isalpha() for ch in room)
        and any(ch.isdigit() for ch in room)
        and room.isalnum()
    )


def plan_query(query: str) -> Plan:
    """The branches that answer ``query``, routed by its shape."""
    query = _separated(query)
    if not query:
        return Plan()
    digits = _digits(query)
    if digits.startswith("+") and digits[1:].isdigit():
        return Plan(wants=_numeric_wants(digits))
    if digits.isdigit() or (digits[:-1].isdigit() and digits[-1:] in "xX"):
        room = digits if _ROOM.fullmatch(digits) else ""
        return Plan(wants=_numeric_wants(digits), room=room)
    if ":" in query or "：" in query:
        matches = preference_matches(query)
        if matches or not _U_COLON.search(query):
            return Plan(wants=[Want(m, "preference") for m in matches])
    address = address_parse(query)
    if address is not None:
        return _address_plan(query, address)
    room = query.upper() if query.isascii() and _ROOM.fullmatch(query) else ""
    typed = _numbers_joined([query_word(raw) for raw in query.split()])
    if len(typed) > 1:
        # Mr, Ms among other words (mr wang 1234) say nothing search can find.
        typed = [w for w in typed if not is_latin_address_form(w.key)] or typed
    words = [word for word in typed[:MAX_WORDS] if word.key]
    if not words:
        return Plan()
    whole = _joined(words)
    room_also: tuple[tuple[AllOf, ...], ...] = ()
    if len(words) == 1:
        wants = _surname_wants(whole, Rank.SURNAME) + _word_wants(whole)
    else:
        wants = _words_wants(words)
        room, room_also = _room_with_words(words)
    dropped_notes = max(len(_note_words(whole.key)) - MAX_NOTE_WORDS, 0)
    if not all(is_cjk(ch) for ch in whole.key):
        dropped_notes = 0
    dropped = max(len(typed) - MAX_WORDS, 0)
    return Plan(
        wants=wants,
        gender=_implied_gender(words) if len(words) > 1 else "",
        room=room,
        room_prefix=_room_prefix_shaped(room) and not room_also,
        room_also=room_also,
        fuzzy=_fuzzy_wants(whole.spell),
        dropped=dropped + dropped_notes,
        notice=_notice(len(typed), dropped, dropped_notes),
    )
