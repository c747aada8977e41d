"""Checking many new guests for duplicates at once, as a large import makes them.

:func:`dossier.duplicates.services.duplicates_check` reads, for every thousand guests,
the blocks of their keys and every guest born on their birthdays: at an import of
100,000 rows that is a hundred passes over the archive. Here the shared keys come
from one ``GROUP BY … HAVING`` per batch of new guests, restricted in SQL to the keys
those guests hold, and the guests born on the new guests' birthdays are read in one
pass ordered by birth date. Pairs are kept only when one side is a new guest, so the
candidates written are those ``duplicates_check`` would write.
"""

import logging
import time
from collections.abc import Iterator, Sequence
from datetime import date
from typing import TypeVar

from django.db.models import Count, Q

from dossier.duplicates.blocking import (
    BLOCK_CAP,
    KEY_BATCH,
    SOURCES,
    KeySource,
    NameRow,
    Pairing,
    key_blocks,
    merged_away,
    name_blocks,
)
from dossier.duplicates.models import DuplicateCandidate
from dossier.duplicates.services import BATCH, ScanResult, _finish, duplicates_check
from dossier.guests.models import Guest

logger = logging.getLogger(__name__)

# Up to this many guests the per-batch check reads less than one pass would.
FEW = BATCH
ID_BATCH = 1000
T = TypeVar("T")


def duplicates_check_many(
    *,
    property_id: int,
    guest_ids: Sequence[int],
    block_cap: int = BLOCK_CAP,
    few: int = FEW,
) -> ScanResult:
    """Compare many new guests of one property with the rest of it, and with one
    another; writes the likely pairs to the review queue as ``duplicates_check``.

    Up to ``few`` guests go to ``duplicates_check`` itself.
    """
    if len(guest_ids) <= few:
        return duplicates_check(guest_ids=guest_ids, block_cap=block_cap)
    started = time.monotonic()
    ids = sorted(set(guest_ids))
    result = ScanResult(guests=len(ids))
    pairing = Pairing(cap=block_cap, only=frozenset(ids))
    for source in SOURCES:
        for block in key_blocks(source, property_id, _shared(source, ids)):
            pairing.add(block)
    for block in name_blocks(_born_on(property_id, ids)):
        pairing.add(block)
    # A superset of the candidates that can concern the new guests is enough: the
    # ones found are looked up by pair.
    low, high = ids[0], ids[-1]
    existing = DuplicateCandidate.objects.filter(
        Q(guest_a_id__gte=low, guest_a_id__lte=high)
        | Q(guest_b_id__gte=low, guest_b_id__lte=high),
        property_id=property_id,
    )
    _finish(property_id, pairing, existing, result, BATCH)
    result.seconds = time.monotonic() - started
    logger.info(
        "duplicates check of %s new guests of property %s: %s pairs, %s new in %.1fs",
        len(ids),
        property_id,
        result.pairs_compared,
        result.created,
        result.seconds,
        extra={"property_id": property_id},
    )
    return result


def _chunks(values: Sequence[T], size: int = ID_BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _shared(source: KeySource, ids: Sequence[int]) -> list[str]:
    """The keys of ``source`` that a new guest holds and some other guest too."""
    shared: set[str] = set()
    table = source.table
    for chunk in _chunks(ids):
        held = table().filter(**{f"{source.guest}__in": chunk})
        keys = sorted({str(k) for k in held.values_list(source.key, flat=True) if k})
        for part in _chunks(keys, KEY_BATCH):
            rows = (
                table()
                .filter(**{f"{source.key}__in": part})
                .values(source.key)
                .annotate(size=Count(source.guest, distinct=True))
                .filter(size__gt=1)
                .values_list(source.key, flat=True)
            )
            shared.update(str(key) for key in rows)
    return sorted(shared)


def _born_on(property_id: int, ids: Sequence[int]) -> Iterator[NameRow]:
    """The property's guests born on a new guest's birthday, by birth date."""
    births: set[date] = set()
    for chunk in _chunks(ids):
        found = Guest.objects.filter(pk__in=chunk).values_list("birth_date", flat=True)
        births.update(birth for birth in found if birth is not None)
    away = merged_away()
    for part in _chunks(sorted(births), KEY_BATCH):
        yield from (
            Guest.objects.filter(property_id=property_id, birth_date__in=part)
            .exclude(pk__in=away)
            .order_by("birth_date")
            .values_list("pk", "full_name", "name_pinyin", "birth_date")
            .iterator(chunk_size=10_000)
        )
