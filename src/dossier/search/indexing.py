"""Keeping the search keys in step with the guests they describe.

Keys are many and tiny (a dozen or more per guest), so they are read and written with
plain SQL rather than model instances, and the name keys, which cost the most to
compute (pinyin readings), are computed once per distinct name.
"""

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from django.db import connection, transaction

from dossier.guests.models import (
    Guest,
    GuestPhone,
    GuestPreference,
    IdentityDocument,
    MemberCard,
    Observation,
)
from dossier.guests.selectors import guests_current, names_merged_into
from dossier.search.keys import (
    GuestKeySource,
    PreferenceKeySource,
    guest_keys,
    han_name_keys,
    kept,
    number_keys,
    preference_value,
)
from dossier.search.models import SearchKey

BATCH = 1000
# PostgreSQL takes rows fastest through COPY; below this many, one statement does.
_COPY_FROM = 200


def rows_insert(
    table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert plain rows into ``table``: ``COPY`` on PostgreSQL, one prepared
    statement on the others. Values must already be in database form."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= _COPY_FROM:
            raw = cursor.cursor
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows
        )


@functools.lru_cache(maxsize=32_768)
def _name_keys(
    full_name: str, surname: str, given_name: str, is_han: bool
) -> frozenset[str]:
    """The keys of a name alone; a guest's keys are those of its parts together."""
    if is_han:
        return frozenset(kept(han_name_keys(full_name, surname, given_name)))
    return frozenset(guest_keys(GuestKeySource(full_name, surname, given_name, is_han)))


# Notes, companies and preference values repeat across guests far more than names
# do (a chain's guests share a dozen employers and a few hundred note phrases), and
# folding them through OpenCC is the costly step of a key; each distinct one is
# folded once.
@functools.lru_cache(maxsize=65_536)
def _text_keys(text: str) -> frozenset[str]:
    return frozenset(guest_keys(GuestKeySource("", "", "", False, texts=[text])))


@functools.lru_cache(maxsize=16_384)
def _company_keys(name: str) -> frozenset[str]:
    return frozenset(guest_keys(GuestKeySource("", "", "", False, companies=[name])))


@functools.lru_cache(maxsize=16_384)
def _preference_keys(preference: PreferenceKeySource) -> frozenset[str]:
    return frozenset(
        guest_keys(GuestKeySource("", "", "", False, preferences=[preference]))
    )


def source_keys(source: GuestKeySource) -> set[str]:
    """``guest_keys(source)``, the shares of its name, texts, companies and
    preferences taken from caches: a guest's keys are the union of its parts'."""
    keys = kept(number_keys(source))
    keys |= _name_keys(
        source.full_name, source.surname, source.given_name, source.is_han
    )
    for alias in source.aliases:
        keys |= _name_keys(*alias)
    for text in source.texts:
        keys |= _text_keys(text)
    for company in source.companies:
        keys |= _company_keys(company)
    for preference in source.preferences:
        keys |= _preference_keys(preference)
    return keys


def national_of(e164: str) -> str:
    return e164[3:] if e164.startswith("+86") else e164.lstrip("+")


def _sources(ids: Sequence[int]) -> dict[int, tuple[int, GuestKeySource]]:
    # A profile merged into another gets no keys: search finds its master instead,
    # by the master's keys and by the merged profile's name.
    rows = (
        guests_current()
        .filter(pk__in=ids)
        .values_list(
            "pk",
            "property_id",
            "full_name",
            "surname",
            "given_name",
            "name_is_han",
            "employer",
            "company__name",
            "notes",
        )
    )
    sources: dict[int, tuple[int, GuestKeySource]] = {}
    for pk, property_id, full, surname, given, is_han, employer, company, notes in rows:
        source = GuestKeySource(
            full_name=full,
            surname=surname,
            given_name=given,
            is_han=is_han,
            companies=[n for n in (employer, company) if n],
            texts=[notes] if notes else [],
        )
        sources[pk] = (property_id, source)
    _add_related(sources, list(sources))
    for guest_id, names in names_merged_into(list(sources)).items():
        sources[guest_id][1].aliases.extend(names)
    return sources


def _add_related(
    sources: dict[int, tuple[int, GuestKeySource]], ids: Sequence[int]
) -> None:
    for guest_id, e164 in GuestPhone.objects.filter(guest_id__in=ids).values_list(
        "guest_id", "e164"
    ):
        sources[guest_id][1].phones_national.append(national_of(e164))
    for guest_id, index, tail in IdentityDocument.objects.filter(
        guest_id__in=ids
    ).values_list("guest_id", "number_index", "tail"):
        sources[guest_id][1].document_indexes.append(index)
        sources[guest_id][1].document_tails.append(tail)
    for guest_id, number in MemberCard.objects.filter(guest_id__in=ids).values_list(
        "guest_id", "number"
    ):
        sources[guest_id][1].cards.append(number)
    for guest_id, name in Guest.tags.through.objects.filter(
        guest_id__in=ids
    ).values_list("guest_id", "tag__name"):
        sources[guest_id][1].tags.append(name)
    texts: dict[int, list[str]] = defaultdict(list)
    for guest_id, value, amount, note, code, item in GuestPreference.objects.filter(
        guest_id__in=ids
    ).values_list(
        "guest_id", "value_text", "value_number", "note", "item__code", "item__name"
    ):
        texts[guest_id] += [value, note]
        sources[guest_id][1].preferences.append(
            PreferenceKeySource(code, item, preference_value(value, amount))
        )
    for guest_id, text in Observation.objects.filter(
        guest_id__in=ids, status__in=["pending", "confirmed"]
    ).values_list("guest_id", "text"):
        texts[guest_id].append(text)
    for guest_id, extra in texts.items():
        sources[guest_id][1].texts.extend(t for t in extra if t)


def guest_reindex(ids: Iterable[int], *, fresh: bool = False) -> int:
    """Recompute the keys of the given guests; returns how many keys were written.

    ``fresh`` says the guests were created in this transaction and have no keys yet,
    so there is nothing to delete first.
    """
    id_list = list(dict.fromkeys(ids))
    written = 0
    for start in range(0, len(id_list), BATCH):
        batch = id_list[start : start + BATCH]
        sources = _sources(batch)
        with transaction.atomic():
            if not fresh:
                SearchKey.objects.filter(guest_id__in=batch).delete()
            written += keys_write(
                (guest_id, property_id, source)
                for guest_id, (property_id, source) in sources.items()
            )
    return written


def keys_write(sources: Iterable[tuple[int, int, GuestKeySource]]) -> int:
    """Insert the keys of guests that have none: ``(guest_id, property_id, source)``."""
    # In key order, each insert lands next to the last one in the key index. Sorted
    # by the key alone (faster than by whole rows), a key's guests keep their order.
    rows = sorted(
        (
            (key, guest_id, property_id)
            for guest_id, property_id, source in sources
            for key in source_keys(source)
        ),
        key=itemgetter(0),
    )
    rows_insert(SearchKey._meta.db_table, ("key", "guest_id", "property_id"), rows)
    return len(rows)
