"""Checking many new guests for duplicates at once, as a large import makes them.

:func:`dossier.duplicates.services.duplicates_check` reads the blocks of a thousand
guests' keys at a time: at an import of a million rows that is a thousand passes over
every key table. Here the new guests' ids are handed to the database once, as a
temporary table, and the rest is set-wise: for each kind of key one statement joins
the new guests' keys to every guest of the property holding the same key (only keys
held by more than one guest), one statement streams the guests born on the new
guests' birthdays, and one reads the candidates already recorded for them. Pairs are
kept only when one side is a new guest, so the candidates written are those
``duplicates_check`` would write.
"""

import json
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from dossier.core.collector import fewer_collections
from dossier.duplicates.blocking import (
    BLOCK_CAP,
    SOURCES,
    Block,
    KeySource,
    NameRow,
    Pairing,
    name_blocks,
)
from dossier.duplicates.models import DuplicateCandidate, Merge
from dossier.duplicates.services import BATCH, ScanResult, _finish, duplicates_check
from dossier.guests.models import Guest, GuestPhone, IdentityDocument, MemberCard

logger = logging.getLogger(__name__)

# Up to this many guests the per-batch check reads less than one pass would.
FEW = BATCH
# The new guests' ids, for the statements of one check; dropped when it ends.
NEW_GUESTS = "duplicates_check_guest"
FETCH = 10_000


@dataclass(frozen=True)
class _KeyTable:
    """Where one kind of key lives, as SQL: ``key`` and ``shown`` are expressions
    over the alias ``{a}``, ``guest`` the column of the guest's id."""

    table: str
    key: str
    guest: str
    shown: str


def _key_tables() -> dict[str, _KeyTable]:
    q = connection.ops.quote_name

    def column(model: Any, name: str) -> str:
        return "{a}." + q(model._meta.get_field(name).column)

    email = f"LOWER({column(Guest, 'email')})"
    return {
        "id": _KeyTable(
            q(IdentityDocument._meta.db_table),
            column(IdentityDocument, "number_index"),
            column(IdentityDocument, "guest"),
            column(IdentityDocument, "number_masked"),
        ),
        "phone": _KeyTable(
            q(GuestPhone._meta.db_table),
            column(GuestPhone, "e164"),
            column(GuestPhone, "guest"),
            column(GuestPhone, "e164"),
        ),
        "card": _KeyTable(
            q(MemberCard._meta.db_table),
            column(MemberCard, "number_key"),
            column(MemberCard, "guest"),
            column(MemberCard, "number"),
        ),
        "email": _KeyTable(q(Guest._meta.db_table), email, column(Guest, "id"), email),
    }


@fewer_collections()
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
    with _new_guests(ids):
        tables = _key_tables()
        for source in SOURCES:
            for block in _key_blocks(source, tables[source.kind], property_id):
                pairing.add(block)
        for block in name_blocks(_born_on(property_id)):
            pairing.add(block)
        existing = DuplicateCandidate.objects.filter(
            _either_new(), property_id=property_id
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


def _either_new() -> RawSQL:
    """A candidate one of whose guests is new: a probe of the new guests' key for
    each side. (``IN (SELECT …) OR IN (SELECT …)`` is no semi-join; PostgreSQL
    would scan the million new guests once per candidate.)"""
    candidates = connection.ops.quote_name(DuplicateCandidate._meta.db_table)
    probes = " OR ".join(
        f"EXISTS (SELECT 1 FROM {NEW_GUESTS} t WHERE t.id = {candidates}.{side})"
        for side in ("guest_a_id", "guest_b_id")
    )
    return RawSQL(probes, (), output_field=BooleanField())


@contextmanager
def _new_guests(ids: Sequence[int]) -> Iterator[None]:
    """The temporary table ``NEW_GUESTS`` holding ``ids``, for as long as the block
    runs; filled by one statement from one parameter."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {NEW_GUESTS}")
        cursor.execute(f"CREATE TEMPORARY TABLE {NEW_GUESTS} (id bigint PRIMARY KEY)")
        if connection.vendor == "postgresql":
            array = "{" + ",".join(map(str, ids)) + "}"
            cursor.execute(
                f"INSERT INTO {NEW_GUESTS} SELECT unnest(%s::bigint[])", [array]
            )
            cursor.execute(f"ANALYZE {NEW_GUESTS}")
        else:
            cursor.execute(
                f"INSERT INTO {NEW_GUESTS} SELECT value FROM json_each(%s)",
                [json.dumps(list(ids))],
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {NEW_GUESTS}")


def _not_merged(guest: str) -> str:
    merge = connection.ops.quote_name(Merge._meta.db_table)
    return (
        f"NOT EXISTS (SELECT 1 FROM {merge} m WHERE m.duplicate_id = {guest} "
        "AND m.undone_at IS NULL)"
    )


def _holders_sql(keys: _KeyTable) -> str:
    """Every guest of the property holding a key that a new guest holds and some
    other guest too (in any property, as ``duplicates_check`` counts), by key."""
    n, s, k = (
        {name: getattr(keys, name).format(a=alias) for name in ("key", "guest")}
        for alias in ("n", "s", "k")
    )
    guests = connection.ops.quote_name(Guest._meta.db_table)
    return f"""
        WITH wanted AS (
            SELECT DISTINCT {n["key"]} AS shared_key
            FROM {keys.table} n JOIN {NEW_GUESTS} t ON t.id = {n["guest"]}
            WHERE {n["key"]} <> ''
        ), shared AS (
            SELECT {s["key"]} AS shared_key FROM {keys.table} s
            WHERE {s["key"]} IN (SELECT shared_key FROM wanted)
            GROUP BY {s["key"]} HAVING COUNT(DISTINCT {s["guest"]}) > 1
        )
        SELECT {k["key"]}, {k["guest"]}, {keys.shown.format(a="k")}
        FROM {keys.table} k
        JOIN shared ON shared.shared_key = {k["key"]}
        JOIN {guests} g ON g.id = {k["guest"]}
        WHERE g.property_id = %s AND {_not_merged(k["guest"])}
        ORDER BY 1, 2
    """


def _key_blocks(
    source: KeySource, keys: _KeyTable, property_id: int
) -> Iterator[Block]:
    """The block of each key a new guest shares, members of the property only."""
    rows = _stream(_holders_sql(keys), [property_id])
    for key, group in groupby(rows, key=lambda row: row[0]):
        members = list(group)
        label = source.mask(str(members[0][2]))
        yield Block(source.kind, label, tuple(m[1] for m in members), str(key))


def _born_on(property_id: int) -> Iterator[NameRow]:
    """The property's guests born on a new guest's birthday, by birth date."""
    guests = connection.ops.quote_name(Guest._meta.db_table)
    sql = f"""
        SELECT g.id, g.full_name, g.name_pinyin, g.birth_date FROM {guests} g
        WHERE g.property_id = %s AND g.birth_date IN (
            SELECT n.birth_date FROM {guests} n JOIN {NEW_GUESTS} t ON t.id = n.id
            WHERE n.birth_date IS NOT NULL
        ) AND {_not_merged("g.id")}
        ORDER BY g.birth_date, g.id
    """
    for row in _stream(sql, [property_id]):
        yield row[0], row[1], row[2], row[3]


def _stream(sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of one statement, fetched a batch at a time (through a server-side
    cursor where the database has one)."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            yield from rows
