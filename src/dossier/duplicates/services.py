"""Finding likely duplicate profiles and putting them in the review queue.

``duplicates_check`` compares new or imported profiles with the rest of their
property; ``duplicates_scan`` looks through a whole property. Both build blocks of
profiles sharing a key (:mod:`dossier.duplicates.blocking`), score the pairs inside a
block (:mod:`dossier.duplicates.rules`) and write one candidate per likely pair. A pair
already dismissed or merged is left as reviewed.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from dossier.core.audit import AuditAction, audit
from dossier.duplicates.blocking import (
    BLOCK_CAP,
    SOURCES,
    KeySource,
    NameRow,
    Pair,
    Pairing,
    key_blocks,
    merged_away,
    name_blocks,
    shared_keys,
)
from dossier.duplicates.models import CandidateStatus, DuplicateCandidate
from dossier.duplicates.rules import (
    QUEUE_SCORE,
    Facts,
    combined_score,
    evidence,
    matches,
)
from dossier.duplicates.selectors import facts_load
from dossier.guests.errors import GuestError, GuestErrorCode
from dossier.guests.models import Guest
from dossier.search.indexing import rows_insert

logger = logging.getLogger(__name__)

BATCH = 1000


@dataclass
class ScanResult:
    """What a check or a scan found and wrote."""

    guests: int = 0
    blocks: int = 0
    pairs_compared: int = 0
    created: int = 0
    updated: int = 0
    already_reviewed: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class Scored:
    pair: Pair
    score: int
    evidence: dict[str, Any]


def _forget(facts: dict[int, Facts], capped: dict[str, set[str]]) -> None:
    """Drop the switchboard phones and other over-shared keys from the facts."""
    for one in facts.values():
        one.phones -= capped.get("phone", set())
        for key in capped.get("card", set()) & set(one.cards):
            del one.cards[key]
        for index in capped.get("id", set()) & set(one.documents):
            del one.documents[index]
        if one.email in capped.get("email", set()):
            one.email = ""


def _score(pairing: Pairing, batch: int) -> list[Scored]:
    """Score every pair, loading the facts of ``batch`` pairs' guests at a time."""
    scored: list[Scored] = []
    pair_list = sorted(pairing.pairs)
    for start in range(0, len(pair_list), batch):
        chunk = pair_list[start : start + batch]
        facts = facts_load(sorted({guest for pair in chunk for guest in pair}))
        _forget(facts, pairing.capped)
        for a, b in chunk:
            if a not in facts or b not in facts:
                continue
            found = matches(facts[a], facts[b])
            score = combined_score(found)
            if found and score >= QUEUE_SCORE:
                scored.append(Scored((a, b), score, evidence(found)))
    return scored


def _save(
    property_id: int,
    scored: list[Scored],
    existing: QuerySet[DuplicateCandidate],
    result: ScanResult,
    batch: int,
) -> None:
    """Create new candidates, refresh open ones; reviewed ones stay as reviewed."""
    known = {(c.guest_a_id, c.guest_b_id): c for c in existing}
    now = timezone.now()
    new: list[DuplicateCandidate] = []
    changed: list[DuplicateCandidate] = []
    for item in scored:
        candidate = known.get(item.pair)
        if candidate is None:
            new.append(
                DuplicateCandidate(
                    property_id=property_id,
                    guest_a_id=item.pair[0],
                    guest_b_id=item.pair[1],
                    score=item.score,
                    evidence=item.evidence,
                    created_at=now,
                    updated_at=now,
                )
            )
        elif candidate.status != CandidateStatus.OPEN:
            result.already_reviewed += 1
        elif (candidate.score, candidate.evidence) != (item.score, item.evidence):
            candidate.score, candidate.evidence = item.score, item.evidence
            candidate.updated_at = now
            changed.append(candidate)
    _insert(new)
    DuplicateCandidate.objects.bulk_update(
        changed, ["score", "evidence", "updated_at"], batch_size=batch
    )
    result.created += len(new)
    result.updated += len(changed)


_INSERTED = (
    "property", "guest_a", "guest_b", "score", "evidence", "status", "created_at",
    "updated_at",
)  # fmt: skip


def _insert(candidates: list[DuplicateCandidate]) -> None:
    """New candidates as plain rows (``COPY`` on PostgreSQL): an import may find a
    hundred thousand, and ``bulk_create`` spent more building its statements than
    the database spent running them."""
    fields = [
        field
        for field in DuplicateCandidate._meta.concrete_fields
        if field.name in _INSERTED
    ]
    rows = [
        [
            field.get_db_prep_save(getattr(c, field.attname), connection)
            for field in fields
        ]
        for c in candidates
    ]
    rows_insert(DuplicateCandidate._meta.db_table, [f.column for f in fields], rows)


def _finish(
    property_id: int,
    pairing: Pairing,
    existing: QuerySet[DuplicateCandidate],
    result: ScanResult,
    batch: int,
) -> None:
    result.blocks += pairing.blocks
    result.pairs_compared += len(pairing.pairs)
    result.warnings += pairing.warnings
    scored = _score(pairing, batch)
    with transaction.atomic():
        _save(property_id, scored, existing, result, batch)


def duplicates_scan(
    *, property_id: int, batch: int = BATCH, block_cap: int = BLOCK_CAP
) -> ScanResult:
    """Look through a whole property for duplicates; safe to run again.

    Shared keys come from ``GROUP BY … HAVING COUNT(*) > 1`` on indexed columns,
    names from one pass over the guests ordered by birth date; blocks over
    ``block_cap`` profiles give a warning instead of pairs.
    """
    started = time.monotonic()
    logger.info("duplicates scan of property %s started", property_id)
    result = ScanResult(guests=Guest.objects.filter(property_id=property_id).count())
    pairing = Pairing(cap=block_cap)
    for source in SOURCES:
        _scan_keys(source, property_id, pairing)
    rows = (
        Guest.objects.filter(property_id=property_id, birth_date__isnull=False)
        .exclude(merged_away())
        .order_by("birth_date")
        .values_list("pk", "full_name", "name_pinyin", "birth_date")
    )
    for block in name_blocks(rows.iterator(chunk_size=10_000)):
        pairing.add(block)
    existing = DuplicateCandidate.objects.filter(property_id=property_id)
    _finish(property_id, pairing, existing, result, batch)
    result.seconds = time.monotonic() - started
    logger.info(
        "duplicates scan of property %s: %s guests, %s pairs, %s new in %.1fs",
        property_id,
        result.guests,
        result.pairs_compared,
        result.created,
        result.seconds,
        extra={"property_id": property_id},
    )
    return result


def _scan_keys(source: KeySource, property_id: int, pairing: Pairing) -> None:
    keys: list[str] = []
    for key, size in shared_keys(source, property_id):
        if size > pairing.cap:
            block = next(key_blocks(source, property_id, [key]))
            pairing.add(block)
        else:
            keys.append(key)
    for block in key_blocks(source, property_id, keys):
        pairing.add(block)


def duplicates_check(
    *, guest_ids: Sequence[int], batch: int = BATCH, block_cap: int = BLOCK_CAP
) -> ScanResult:
    """Compare the given (new or imported) guests with the others of their property."""
    started = time.monotonic()
    result = ScanResult(guests=len(guest_ids))
    by_property: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(guest_ids), batch):
        chunk = guest_ids[start : start + batch]
        rows = Guest.objects.filter(pk__in=chunk).values_list("pk", "property_id")
        for pk, property_id in rows:
            by_property[property_id].append(pk)
    for property_id, ids in by_property.items():
        for start in range(0, len(ids), batch):
            _check_chunk(
                property_id, ids[start : start + batch], result, batch, block_cap
            )
    result.seconds = time.monotonic() - started
    return result


def _check_chunk(
    property_id: int, ids: list[int], result: ScanResult, batch: int, cap: int
) -> None:
    pairing = Pairing(cap=cap, only=frozenset(ids))
    facts = facts_load(ids)
    wanted = {
        "id": {key for f in facts.values() for key in f.documents},
        "phone": {phone for f in facts.values() for phone in f.phones},
        "card": {card for f in facts.values() for card in f.cards},
        "email": {f.email for f in facts.values() if f.email},
    }
    for source in SOURCES:
        keys = sorted(wanted[source.kind])
        for block in key_blocks(source, property_id, keys):
            pairing.add(block)
    births = sorted({f.birth for f in facts.values() if f.birth is not None})
    for block in name_blocks(_born_on(property_id, births)):
        pairing.add(block)
    existing = DuplicateCandidate.objects.filter(
        Q(guest_a_id__in=ids) | Q(guest_b_id__in=ids), property_id=property_id
    )
    _finish(property_id, pairing, existing, result, batch)


def _born_on(property_id: int, births: list[date]) -> list[NameRow]:
    rows: list[NameRow] = []
    for start in range(0, len(births), BATCH):
        rows += (
            Guest.objects.filter(
                property_id=property_id, birth_date__in=births[start : start + BATCH]
            )
            .exclude(merged_away())
            .order_by("birth_date")
            .values_list("pk", "full_name", "name_pinyin", "birth_date")
        )
    return rows


@transaction.atomic
def candidate_dismiss(*, actor: User, candidate: DuplicateCandidate) -> None:
    """Mark a candidate as two different guests; later scans leave it dismissed."""
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != CandidateStatus.OPEN:
        raise GuestError(GuestErrorCode.ALREADY_REVIEWED, gettext("该疑似重复已审核"))
    candidate.status = CandidateStatus.DISMISSED
    candidate.reviewed_by, candidate.reviewed_at = actor, timezone.now()
    candidate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit(
        actor=actor,
        action=AuditAction.DUPLICATE_DISMISSED,
        obj=candidate,
        guest_a=candidate.guest_a_id,
        guest_b=candidate.guest_b_id,
        score=candidate.score,
    )
