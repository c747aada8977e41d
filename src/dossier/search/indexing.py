"""Keeping the search keys in step with the guests they describe."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import connection, transaction

from dossier.guests.models import Guest, GuestPreference, Observation
from dossier.search.keys import GuestKeySource, guest_keys
from dossier.search.models import SearchKey

BATCH = 500


def _sources(ids: Sequence[int]) -> dict[int, tuple[int, GuestKeySource]]:
    guests = Guest.objects.filter(pk__in=ids).select_related("company")
    sources: dict[int, tuple[int, GuestKeySource]] = {}
    for guest in guests:
        source = GuestKeySource(
            full_name=guest.full_name,
            surname=guest.surname,
            given_name=guest.given_name,
            is_han=guest.name_is_han,
            companies=[
                n for n in (guest.employer, guest.company and guest.company.name) if n
            ],
            texts=[guest.notes] if guest.notes else [],
        )
        sources[guest.pk] = (guest.property_id, source)
    _add_related(sources, ids)
    return sources


def _add_related(
    sources: dict[int, tuple[int, GuestKeySource]], ids: Sequence[int]
) -> None:
    from dossier.guests.models import GuestPhone, IdentityDocument, MemberCard

    for guest_id, e164 in GuestPhone.objects.filter(guest_id__in=ids).values_list(
        "guest_id", "e164"
    ):
        national = e164[3:] if e164.startswith("+86") else e164.lstrip("+")
        sources[guest_id][1].phones_national.append(national)
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
    for guest_id, value, note in GuestPreference.objects.filter(
        guest_id__in=ids
    ).values_list("guest_id", "value_text", "note"):
        texts[guest_id] += [value, note]
    for guest_id, text in Observation.objects.filter(
        guest_id__in=ids, status__in=["pending", "confirmed"]
    ).values_list("guest_id", "text"):
        texts[guest_id].append(text)
    for guest_id, extra in texts.items():
        sources[guest_id][1].texts.extend(t for t in extra if t)


def guest_reindex(ids: Iterable[int]) -> int:
    """Recompute the keys of the given guests; returns how many keys were written."""
    id_list = list(dict.fromkeys(ids))
    written = 0
    for start in range(0, len(id_list), BATCH):
        batch = id_list[start : start + BATCH]
        sources = _sources(batch)
        rows = [
            (guest_id, property_id, key)
            for guest_id, (property_id, source) in sources.items()
            for key in sorted(guest_keys(source))
        ]
        with transaction.atomic():
            SearchKey.objects.filter(guest_id__in=batch).delete()
            _insert(rows)
        written += len(rows)
    return written


def _insert(rows: list[tuple[int, int, str]]) -> None:
    """Insert key rows with one prepared statement: keys are many and tiny, so model
    instances would cost more than the database does."""
    table = connection.ops.quote_name(SearchKey._meta.db_table)
    sql = f"INSERT INTO {table} (guest_id, property_id, key) VALUES (%s, %s, %s)"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
