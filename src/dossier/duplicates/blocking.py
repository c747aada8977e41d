"""Blocks of profiles that share a key, so that only pairs inside a block are compared.

A block is every profile of a property with the same identity document, phone
(E.164), member card (by ``card_key``: VIP-88001 is VIP88001) or e-mail, or born on the same day with the same folded name,
the same pinyin, or a name one character away (found through the name with each
character left out in turn). A block larger than the cap is a switchboard or a
placeholder, not a person: it becomes one warning and no pairs.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import combinations, groupby
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from dossier.duplicates.models import Merge
from dossier.duplicates.rules import MIN_TYPO_LENGTH, mask_email, name_spellings
from dossier.guests.models import Guest, GuestPhone, IdentityDocument, MemberCard
from dossier.search.keys import compact
from dossier.zh.fold import is_cjk
from dossier.zh.phones import mask_phone

BLOCK_CAP = 50
KEY_BATCH = 500
Pair = tuple[int, int]
NameRow = tuple[int, str, str, date | None]


@dataclass(frozen=True)
class Block:
    kind: str
    label: str
    members: tuple[int, ...]
    key: str = ""
    # Blocks of names with a character left out overlap the exact-name blocks, so a
    # large one is skipped without a warning of its own.
    quiet: bool = False


@dataclass
class Pairing:
    """The pairs found in blocks, and a warning for each block over the cap."""

    cap: int = BLOCK_CAP
    only: frozenset[int] | None = None
    pairs: set[Pair] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    blocks: int = 0
    # Keys shared too widely to say anything of a person, by kind.
    capped: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, block: Block) -> None:
        members = sorted(set(block.members))
        if len(members) < 2:
            return
        self.blocks += 1
        if len(members) > self.cap:
            if not block.quiet:
                self.warnings.append(_warning(block, len(members)))
            self.capped[block.kind].add(block.key)
            return
        for pair in combinations(members, 2):
            if self.only is None or pair[0] in self.only or pair[1] in self.only:
                self.pairs.add(pair)


_KIND_LABELS: dict[str, Promise] = {
    "id": gettext_lazy("证件号码"),
    "phone": gettext_lazy("电话"),
    "card": gettext_lazy("会员卡号"),
    "email": gettext_lazy("电子邮件"),
    "name": gettext_lazy("姓名与出生日期"),
    "pinyin": gettext_lazy("姓名拼音与出生日期"),
}


def _warning(block: Block, size: int) -> str:
    kind = _KIND_LABELS.get(block.kind, block.kind)
    return gettext(
        "%(kind)s %(key)s 有 %(size)d 份档案共用（总机、前台或占位信息？），"
        "未逐对比较，也不作为同一人的依据"
    ) % {"kind": kind, "key": block.label, "size": size}


def merged_away(guest: str = "pk") -> Exists:
    """Whether the guest at ``guest`` (a field of the query it filters) was merged
    into another profile (and not undone). As ``NOT EXISTS`` it stays an anti-join
    however many merges there are; ``NOT IN (SELECT …)`` past the server's working
    memory would read every merge once per row."""
    return Exists(
        Merge.objects.filter(duplicate_id=OuterRef(guest), undone_at__isnull=True)
    )


@dataclass(frozen=True)
class KeySource:
    """A table holding one kind of key, the column of the key and of the guest.

    ``queryset`` gives the rows of one property, for counting; ``table`` all rows, for
    reading by key: joined to the guest, SQLite would walk the property's guests
    instead of the key's index.
    """

    kind: str
    queryset: Callable[[int], QuerySet[Any]]
    table: Callable[[], QuerySet[Any]]
    key: str
    guest: str
    shown: str
    mask: Callable[[str], str]


def _documents(property_id: int) -> QuerySet[Any]:
    return IdentityDocument.objects.filter(guest__property_id=property_id).exclude(
        merged_away("guest_id")
    )


def _phones(property_id: int) -> QuerySet[Any]:
    return GuestPhone.objects.filter(guest__property_id=property_id).exclude(
        merged_away("guest_id")
    )


def _cards(property_id: int) -> QuerySet[Any]:
    return MemberCard.objects.filter(guest__property_id=property_id).exclude(
        merged_away("guest_id")
    )


def _emails(property_id: int) -> QuerySet[Any]:
    guests = Guest.objects.filter(property_id=property_id).exclude(email="")
    return guests.exclude(merged_away()).annotate(email_key=Lower("email"))


def _all_emails() -> QuerySet[Any]:
    return Guest.objects.annotate(email_key=Lower("email"))


SOURCES = (
    KeySource("id", _documents, IdentityDocument.objects.all, "number_index",
              "guest_id", "number_masked", str),
    KeySource("phone", _phones, GuestPhone.objects.all, "e164", "guest_id", "e164",
              mask_phone),
    KeySource("card", _cards, MemberCard.objects.all, "number_key", "guest_id",
              "number", str),
    KeySource("email", _emails, _all_emails, "email_key", "id", "email_key",
              mask_email),
)  # fmt: skip


def _in_property(property_id: int, ids: set[int]) -> set[int]:
    """Those of ``ids`` that are guests of the property, not merged into another."""
    found: set[int] = set()
    id_list = sorted(ids)
    for start in range(0, len(id_list), KEY_BATCH):
        guests = Guest.objects.filter(
            pk__in=id_list[start : start + KEY_BATCH], property_id=property_id
        )
        found.update(guests.exclude(merged_away()).values_list("pk", flat=True))
    return found


def shared_keys(source: KeySource, property_id: int) -> list[tuple[str, int]]:
    """Keys held by more than one guest, with how many: one GROUP BY on the index."""
    rows = (
        source.queryset(property_id)
        .exclude(**{source.key: ""})
        .values(source.key)
        .annotate(size=Count(source.guest, distinct=True))
        .filter(size__gt=1)
        .values_list(source.key, "size")
    )
    return [(str(key), int(size)) for key, size in rows]


def key_blocks(
    source: KeySource, property_id: int, keys: Sequence[str]
) -> Iterator[Block]:
    """The block of each key, its members read in batches of keys."""
    for start in range(0, len(keys), KEY_BATCH):
        chunk = keys[start : start + KEY_BATCH]
        rows = list(
            source.table()
            .filter(**{f"{source.key}__in": chunk})
            .values_list(source.key, source.guest, source.shown)
            .order_by(source.key)
        )
        kept = _in_property(property_id, {row[1] for row in rows})
        rows = [row for row in rows if row[1] in kept]
        for key, group in groupby(rows, key=lambda row: row[0]):
            members = list(group)
            label = source.mask(str(members[0][2]))
            yield Block(source.kind, label, tuple(m[1] for m in members), str(key))


def name_blocks(rows: Iterable[NameRow]) -> Iterator[Block]:
    """Blocks of guests born the same day with alike names; ``rows`` by birth date."""
    for birth, group in groupby(rows, key=lambda row: row[3]):
        members = list(group)
        if birth is None or len(members) < 2:
            continue
        keyed: dict[tuple[str, str], list[int]] = defaultdict(list)
        # Spellings pair a name in characters with one in Latin letters: a day
        # without a name in Latin letters needs none.
        latin = any(not _is_han(_folded(row[1])) for row in members)
        for guest_id, name, pinyin, _ in members:
            folded = _folded(name)
            keyed[("name", folded)].append(guest_id)
            if pinyin:
                keyed[("pinyin", pinyin)].append(guest_id)
            for spelling in _spellings(name, pinyin) if latin else ():
                keyed[("spelling", spelling)].append(guest_id)
            if len(folded) >= MIN_TYPO_LENGTH:
                for variant in _one_left_out(folded):
                    keyed[("typo", variant)].append(guest_id)
        for (kind, key), ids in keyed.items():
            if len(ids) > 1:
                label = f"{key} {birth.isoformat()}"
                quiet = kind in ("typo", "spelling")
                yield Block(kind, label, tuple(ids), quiet=quiet)


@lru_cache(maxsize=200_000)
def _folded(name: str) -> str:
    # Names repeat (王伟, 张敏…); folding through OpenCC is the costly part of a scan.
    return compact(name)


def _is_han(folded: str) -> bool:
    return bool(folded) and all(is_cjk(char) for char in folded)


@lru_cache(maxsize=200_000)
def _spellings(name: str, pinyin: str) -> frozenset[str]:
    return name_spellings(name, pinyin)


def _one_left_out(name: str) -> set[str]:
    """The name itself and the name with each character left out in turn.

    Two names one insertion, deletion or substitution apart share one of these.
    """
    return {name} | {name[:i] + name[i + 1 :] for i in range(len(name))}
