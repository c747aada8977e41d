"""The search keys of a guest, computed from plain values (no database access).

Kinds, each a prefix of the key:

``n:`` folded name, whole, given name alone and each word of a Latin-script name
      (and the names of profiles merged into the guest, with their readings);
      names with joining marks (Jean-Pierre, O'Neil, 阿依古丽·买买提) also without
      them and by each part between them
``p:`` pinyin from each syllable, for every reading of the name (of every name with
      Chinese characters, 阿依古丽·买买提 too)
``i:`` initials from each syllable, for every reading of the name
``s:`` folded surname                                ``sp:`` pinyin of the surname
``m:`` national phone digits                         ``r:`` phone digits reversed
``d:`` keyed hash of a document                      ``dt:`` last four of a document
``c:`` card number, also without dashes and from each part on (``88001``)
``t:`` tag
``co:`` company name                                 ``cs:`` company name from each word on
``w:`` two-character words of notes, observations and preference values
``pv:`` preference values: ``pv:<item code>=<value>``, ``pv:<value><item name>`` and
``pv:<item name><value>`` (so 低枕 and 枕头高度低 find a low pillow)
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from dossier.zh import names
from dossier.zh.fold import cjk_ngrams, fold, is_cjk
from dossier.zh.names import NAME_DOTS, name_readings, surname_readings

MAX_KEY = 96
MAX_READINGS = 16
# Free-text preference values longer than this are prose: their words are enough.
MAX_PREFERENCE_VALUE = 24
MIN_COMPANY_SUFFIX = 2
# Marks that join the parts of a name, which staff type, leave out or type otherwise.
NAME_JOINERS = "-'‘’`." + NAME_DOTS
_UNJOINED = str.maketrans(dict.fromkeys(NAME_JOINERS, " "))


@dataclass(frozen=True)
class PreferenceKeySource:
    """One preference of a guest: the catalogue item and the value as shown."""

    code: str
    name: str
    value: str


@dataclass
class GuestKeySource:
    """Everything of a guest that search finds it by."""

    full_name: str
    surname: str
    given_name: str
    is_han: bool
    phones_national: list[str] = field(default_factory=list)
    document_indexes: list[str] = field(default_factory=list)
    document_tails: list[str] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    preferences: list[PreferenceKeySource] = field(default_factory=list)
    # Names of profiles merged into this one: (full name, surname, given, is Han).
    aliases: list[tuple[str, str, str, bool]] = field(default_factory=list)


def pinyin_spelling(syllable: str) -> str:
    """A syllable as keys hold it: ``ü`` written ``v``, as on a keyboard (``lv``)."""
    return syllable.replace("ü", "v")


def compact(text: str) -> str:
    """Folded, with all white space removed: what keys and queries compare."""
    return "".join(fold(text).split())


def preference_value(value_text: str, value_number: Decimal | None) -> str:
    """The value of a preference as keys hold it: text, or the number without unit."""
    if value_number is not None:
        return format(value_number.normalize(), "f")
    return value_text


def surname_keys(surname: str, is_han: bool) -> set[str]:
    """The keys that find a guest by surname alone (王先生, Mr Wang, "chen" ranked
    surname first): the folded surname and each of its readings."""
    folded = compact(surname)
    if not folded:
        return set()
    keys = {"s:" + folded}
    if not is_han:
        if folded.isascii() and folded.isalpha():
            keys.add("sp:" + folded)
        return keys
    keys.update("sp:" + "".join(reading) for reading in surname_readings(surname))
    return keys


def unjoined(text: str) -> str:
    """A folded name or word without its joining marks (``oneil``, ``jeanpierre``)."""
    return "".join(fold(text).translate(_UNJOINED).split())


def card_keys(number: str) -> set[str]:
    """A card number as written, without its dashes or dots, and from each part on
    (VIP-88001: vip-88001, vip88001 and 88001)."""
    parts = fold(number).translate(_UNJOINED).split()
    keys = {"c:" + compact(number)}
    keys.update("c:" + "".join(parts[start:]) for start in range(len(parts)))
    return keys


def _word_keys(full_name: str) -> set[str]:
    """A name's words, each as written and without joining marks, and the parts
    between the marks: Jean-Pierre is jean-pierre, jeanpierre, jean and pierre."""
    keys = {"n:" + unjoined(full_name)}
    for word in fold(full_name).replace("·", " ").split():
        keys.update({"n:" + word, "n:" + unjoined(word)})
        keys.update("n:" + part for part in fold(word).translate(_UNJOINED).split())
    return keys


def _reading_keys(readings: Iterable[list[str]]) -> set[str]:
    keys: set[str] = set()
    for reading in readings:
        syllables = [pinyin_spelling(s) for s in reading]
        for start in range(len(syllables)):
            keys.add("p:" + "".join(syllables[start:]))
            keys.add("i:" + "".join(s[0] for s in syllables[start:] if s))
    return keys


def _spellings(
    readings: Iterable[Iterable[str]], *, suffixes: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The pinyin and the initials of each reading as keys spell them, or of each
    reading from each of its syllables on."""
    spelled: set[str] = set()
    initials: set[str] = set()
    for reading in readings:
        syllables = [pinyin_spelling(s) for s in reading]
        for start in range(len(syllables)) if suffixes else (0,):
            spelled.add("".join(syllables[start:]))
            initials.add("".join(s[0] for s in syllables[start:] if s))
    return tuple(spelled), tuple(initials)


@dataclass(frozen=True)
class _HanPart:
    """What a surname or a given name adds to the keys of every Han name it is in."""

    keys: frozenset[str]
    # Pinyin and initials of each reading (of a surname, from each syllable on).
    spelled: tuple[str, ...]
    initials: tuple[str, ...]
    readings: int


# Surnames and given names repeat across an archive far more than whole names do.
@functools.lru_cache(maxsize=8192)
def _surname_part(surname: str) -> _HanPart:
    readings = surname_readings(surname)
    spelled, initials = _spellings(readings, suffixes=True)
    return _HanPart(
        frozenset(surname_keys(surname, True)), spelled, initials, max(len(readings), 1)
    )


@functools.lru_cache(maxsize=16_384)
def _given_part(given_name: str) -> _HanPart:
    readings = name_readings("", given_name)
    keys = {"n:" + compact(given_name)} if given_name else set()
    keys |= _reading_keys(readings)
    spelled, initials = _spellings(readings, suffixes=False)
    return _HanPart(frozenset(keys), spelled, initials, len(readings))


def han_name_keys(full_name: str, surname: str, given_name: str) -> set[str]:
    """``name_keys`` of a Han name, from what its surname and its given name give.

    While a name has fewer readings than are kept, they are every surname reading
    followed by every given-name reading, so its reading keys are the given name's
    own and each surname reading (from each syllable on) joined to each whole
    given-name reading. A name with more readings is read whole.
    """
    first = _surname_part(surname)
    rest = _given_part(given_name)
    if first.readings * rest.readings >= min(MAX_READINGS, names.MAX_READINGS):
        return name_keys(full_name, surname, given_name, True)
    keys = {"n:" + compact(full_name), *first.keys, *rest.keys}
    keys.update("p:" + a + b for a in first.spelled for b in rest.spelled)
    keys.update("i:" + a + b for a in first.initials for b in rest.initials)
    return keys


def name_keys(full_name: str, surname: str, given_name: str, is_han: bool) -> set[str]:
    """The keys of a name: folded, surname, given name, words and readings."""
    keys = {"n:" + compact(full_name)}
    keys |= surname_keys(surname, is_han)
    if given_name:
        keys.add("n:" + compact(given_name))
    if is_han:
        return keys | _reading_keys(name_readings(surname, given_name)[:MAX_READINGS])
    keys |= _word_keys(full_name)
    if any(is_cjk(char) for char in full_name):
        # 阿依古丽·买买提: no surname, each character read as in a given name.
        keys |= _reading_keys(name_readings("", full_name)[:MAX_READINGS])
    return keys


def company_suffixes(name: str) -> set[str]:
    """The folded name from each Chinese character or Latin word on, so that a
    prefix scan finds a word anywhere in it ("贸易" in "ＡＢＣ贸易有限公司")."""
    folded = fold(name)
    starts = [
        i
        for i, char in enumerate(folded)
        if i > 0 and (is_cjk(char) or (char.isalnum() and not folded[i - 1].isalnum()))
    ]
    suffixes = {"".join(folded[i:].split()) for i in starts}
    return {s for s in suffixes if len(s) >= MIN_COMPANY_SUFFIX}


def _company_keys(names: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for name in names:
        if name.strip():
            keys.add("co:" + compact(name))
            keys.update("cs:" + suffix for suffix in company_suffixes(name))
    return keys


def _preference_keys(preferences: Iterable[PreferenceKeySource]) -> set[str]:
    keys: set[str] = set()
    for preference in preferences:
        value = compact(preference.value)
        if not value or len(value) > MAX_PREFERENCE_VALUE:
            continue
        name = compact(preference.name)
        keys.add(f"pv:{preference.code}={value}")
        keys.add(f"pv:{value}{name}")
        keys.add(f"pv:{name}{value}")
    return keys


def number_keys(source: GuestKeySource) -> set[str]:
    """The keys of a guest's phones, documents, cards and tags."""
    keys: set[str] = set()
    for national in source.phones_national:
        keys.add("m:" + national)
        keys.add("r:" + national[::-1])
    keys.update("d:" + index for index in source.document_indexes)
    keys.update("dt:" + tail.upper() for tail in source.document_tails)
    for card in source.cards:
        keys |= card_keys(card)
    keys.update("t:" + compact(tag) for tag in source.tags if tag.strip())
    return keys


def kept(keys: Iterable[str]) -> set[str]:
    """The keys as stored: at most ``MAX_KEY`` characters, none of a kind alone."""
    return {key[:MAX_KEY] for key in keys if len(key.split(":", 1)[1]) > 0}


def guest_keys(source: GuestKeySource) -> set[str]:
    """All search keys of one guest, each at most ``MAX_KEY`` characters."""
    keys = name_keys(source.full_name, source.surname, source.given_name, source.is_han)
    for alias in source.aliases:
        keys |= name_keys(*alias)
    keys |= number_keys(source)
    keys |= _company_keys(source.companies)
    keys.update("w:" + word for word in _words(source.texts))
    keys |= _preference_keys(source.preferences)
    return kept(keys)


def _words(texts: Iterable[str]) -> set[str]:
    """Two-character words only: a lone character of a note would match too much."""
    words: set[str] = set()
    for text in texts:
        words |= cjk_ngrams(fold(text), 2)
    return {word for word in words if len(word) == 2}
