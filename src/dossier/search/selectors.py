"""Looking guests up by whatever the desk has at hand: phone, ID, name, room, card.

Ranking: an exact key first, then a prefix, then a word found in notes; guests in the
house rank first for a room number.
"""

import unicodedata
from dataclasses import dataclass
from enum import IntEnum

from django.db import connection
from django.db.models import Q, QuerySet

from dossier.core.crypto import blind_index
from dossier.history.models import Stay, StayStatus
from dossier.search.keys import compact
from dossier.search.models import SearchKey
from dossier.zh.fold import cjk_ngrams, is_cjk
from dossier.zh.idnumber import InvalidIdNumber, parse_id_number
from dossier.zh.phones import InvalidPhone, normalize_phone

_PREFIX_END = "\U0010ffff"
SCAN_LIMIT = 400


class Rank(IntEnum):
    EXACT = 0
    PREFIX = 1
    WORD = 2


@dataclass(frozen=True)
class Hit:
    guest_id: int
    rank: Rank
    reason: str


def _prefix(queryset: QuerySet[SearchKey], key: str) -> QuerySet[SearchKey]:
    """Keys starting with ``key``, through the B-tree index on every database."""
    if connection.vendor == "postgresql":
        return queryset.filter(key__startswith=key)
    return queryset.filter(key__gte=key, key__lt=key + _PREFIX_END)


def _keys(property_id: int, wanted: list[tuple[str, bool, str]]) -> list[Hit]:
    hits: list[Hit] = []
    base = SearchKey.objects.filter(property_id=property_id)
    for key, prefix, reason in wanted:
        if prefix:
            rows = _prefix(base, key).values_list("guest_id", "key")[:SCAN_LIMIT]
        else:
            rows = base.filter(key=key).values_list("guest_id", "key")[:SCAN_LIMIT]
        for guest_id, found in rows:
            rank = Rank.EXACT if found == key else Rank.PREFIX
            hits.append(Hit(guest_id, rank, reason))
    return hits


def _digits(query: str) -> str:
    text = unicodedata.normalize("NFKC", query)
    return "".join(ch for ch in text if ch not in " -()（）")


def _document_keys(digits: str) -> list[tuple[str, bool, str]]:
    try:
        number = parse_id_number(digits).number
    except InvalidIdNumber:
        return []
    index = blind_index(f"resident_id:{number}")
    hmt = blind_index(f"hmt_residence:{number}")
    return [("d:" + index, False, "id"), ("d:" + hmt, False, "id")]


def _numeric_keys(digits: str) -> list[tuple[str, bool, str]]:
    wanted: list[tuple[str, bool, str]] = []
    if len(digits) in (15, 18):
        wanted += _document_keys(digits)
    try:
        phone = normalize_phone(digits)
        national = phone.e164[3:] if phone.e164.startswith("+86") else phone.e164[1:]
        wanted.append(("m:" + national, False, "phone"))
    except InvalidPhone:
        pass
    if digits.startswith("+"):
        return wanted
    if len(digits) >= 4:
        wanted.append(("r:" + digits[::-1], True, "phone_tail"))
    if len(digits) == 4:
        wanted.append(("dt:" + digits.upper(), False, "id_tail"))
    wanted.append(("c:" + digits.lower(), True, "card"))
    return wanted


def _text_keys(query: str) -> list[tuple[str, bool, str]]:
    key = compact(query)
    if not key:
        return []
    wanted = [("n:" + key, True, "name"), ("co:" + key, True, "company")]
    wanted += [("c:" + key, True, "card"), ("t:" + key, False, "tag")]
    if key.isascii() and key.isalpha():
        wanted += [("p:" + key, True, "pinyin"), ("i:" + key, True, "initials")]
    return wanted


def _word_hits(property_id: int, query: str) -> list[Hit]:
    """Guests whose notes hold every two-character word of a Chinese query."""
    key = compact(query)
    if len(key) < 2 or not all(is_cjk(ch) for ch in key):
        return []
    found: set[int] | None = None
    for word in sorted(cjk_ngrams(key, 2)):
        ids = set(
            SearchKey.objects.filter(
                property_id=property_id, key="w:" + word
            ).values_list("guest_id", flat=True)[: SCAN_LIMIT * 10]
        )
        found = ids if found is None else found & ids
        if not found:
            return []
    return [Hit(guest_id, Rank.WORD, "note") for guest_id in sorted(found or ())]


def _room_hits(property_id: int, room: str) -> list[Hit]:
    stays = Stay.objects.filter(property_id=property_id, room=room)
    in_house = stays.filter(status=StayStatus.IN_HOUSE).values_list(
        "guest_id", flat=True
    )
    ids = list(in_house[:5])
    if not ids:
        last = stays.exclude(status=StayStatus.CANCELLED).order_by("-arrival").first()
        ids = [last.guest_id] if last else []
    return [Hit(guest_id, Rank.EXACT, "room") for guest_id in ids]


def guest_lookup(*, property_id: int, query: str, limit: int = 20) -> list[Hit]:
    """The best-ranked guests for ``query``, one hit per guest, best first."""
    query = query.strip()
    if not query:
        return []
    digits = _digits(query)
    hits: list[Hit] = []
    if digits.startswith("+") and digits[1:].isdigit():
        hits += _keys(property_id, _numeric_keys(digits))
    elif digits.isdigit() or (digits[:-1].isdigit() and digits[-1:] in "xX"):
        hits += _room_hits(property_id, digits)
        hits += _keys(property_id, _numeric_keys(digits))
    else:
        if len(query) <= 8 and query.replace("-", "").isalnum() and query.isascii():
            hits += _room_hits(property_id, query.upper())
        hits += _keys(property_id, _text_keys(query))
        hits += _word_hits(property_id, query)
    best: dict[int, Hit] = {}
    for hit in hits:
        if hit.guest_id not in best or hit.rank < best[hit.guest_id].rank:
            best[hit.guest_id] = hit
    ordered = sorted(best.values(), key=lambda h: (h.rank, h.guest_id))
    return ordered[:limit]


def guests_matching(property_id: int, query: str) -> Q:
    """A filter for guest lists: the guests ``guest_lookup`` finds, unranked."""
    ids = [
        hit.guest_id
        for hit in guest_lookup(property_id=property_id, query=query, limit=500)
    ]
    return Q(pk__in=ids)
