"""The search keys of a guest, computed from plain values (no database access).

Kinds, each a prefix of the key:

``n:`` folded name, whole and given name alone      ``p:`` pinyin from each syllable
``i:`` initials from each syllable                   ``m:`` national phone digits
``r:`` phone digits reversed (tails)                  ``d:`` keyed hash of a document
``dt:`` last four of a document                       ``c:`` card number
``co:`` company name                                  ``t:`` tag
``w:`` two-character words of notes and preferences
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from dossier.zh.fold import cjk_ngrams, fold
from dossier.zh.names import name_readings

MAX_KEY = 96
MAX_READINGS = 16


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


def compact(text: str) -> str:
    """Folded, with all white space removed: what keys and queries compare."""
    return "".join(fold(text).split())


def _name_keys(source: GuestKeySource) -> set[str]:
    keys = {"n:" + compact(source.full_name)}
    if source.given_name:
        keys.add("n:" + compact(source.given_name))
    if not source.is_han:
        keys.update(
            "n:" + word for word in fold(source.full_name).replace("·", " ").split()
        )
        return keys
    for reading in name_readings(source.surname, source.given_name)[:MAX_READINGS]:
        syllables = [s.replace("ü", "v") for s in reading]
        for start in range(len(syllables)):
            keys.add("p:" + "".join(syllables[start:]))
            keys.add("i:" + "".join(s[0] for s in syllables[start:] if s))
    return keys


def guest_keys(source: GuestKeySource) -> set[str]:
    """All search keys of one guest, each at most ``MAX_KEY`` characters."""
    keys = _name_keys(source)
    for national in source.phones_national:
        keys.add("m:" + national)
        keys.add("r:" + national[::-1])
    keys.update("d:" + index for index in source.document_indexes)
    keys.update("dt:" + tail.upper() for tail in source.document_tails)
    keys.update("c:" + compact(card) for card in source.cards if card.strip())
    keys.update("co:" + compact(name) for name in source.companies if name.strip())
    keys.update("t:" + compact(tag) for tag in source.tags if tag.strip())
    keys.update("w:" + word for word in _words(source.texts))
    return {key[:MAX_KEY] for key in keys if len(key.split(":", 1)[1]) > 0}


def _words(texts: Iterable[str]) -> set[str]:
    words: set[str] = set()
    for text in texts:
        words |= cjk_ngrams(fold(text), 2)
    return words
