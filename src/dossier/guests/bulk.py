"""Creating and updating many guests at once, for imports and demo data.

The same validation and derivation as :func:`guest_create` and :func:`guest_update`
(name split and pinyin, birth date and gender from the ID number, sealed documents,
normalised phones, one ``ProfileChange`` per change), but written as plain rows: the
high-volume tables (guests, phones, documents, profile changes, search keys) take
one prepared statement each per batch (``COPY`` on PostgreSQL), and what is derived
from a name is computed once per distinct name.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from dossier.core.crypto import seal
from dossier.core.models import Property
from dossier.guests.errors import GuestError, GuestErrorCode
from dossier.guests.models import (
    Guest,
    GuestPhone,
    IdentityDocument,
    PhoneKind,
    ProfileChange,
)
from dossier.guests.services import (
    EDITABLE_FIELDS,
    Actor,
    GuestInput,
    _render,
    _user,
    document_index,
    guest_value_check,
    identity_agreement,
    name_check,
    name_columns,
    parse_identity,
)
from dossier.search.indexing import (
    guest_reindex,
    keys_write,
    national_of,
    rows_insert,
)
from dossier.search.keys import GuestKeySource
from dossier.zh.idnumber import mask_id_number
from dossier.zh.names import split_name
from dossier.zh.phones import InvalidPhone, Phone, normalize_phone

BATCH = 5000
_EDITABLE = frozenset(EDITABLE_FIELDS)
_PHONE_COLUMNS = ("guest_id", "raw", "e164", "kind", "is_primary")
_DOCUMENT_COLUMNS = (
    "guest_id", "doc_type", "number_sealed", "number_index", "number_masked", "tail",
    "country",
)  # fmt: skip
_CHANGE_COLUMNS = ("guest_id", "actor_id", "at", "source", "field", "before", "after")


# Common names (王伟, 张敏) come back thousands of times in an archive; rare ones do
# not, and a larger cache would hold a million imported names' derivations at once.
@functools.lru_cache(maxsize=32_768)
def name_fields(
    full_name: str, surname: str | None
) -> tuple[str, str, str, bool, str, str]:
    """``(full_name, surname, given_name, is_han, pinyin, sort key)`` of a new name,
    as :func:`dossier.guests.services._apply_name` derives them."""
    name = " ".join(full_name.split())
    if not name:
        raise GuestError(GuestErrorCode.INVALID_NAME, "姓名不能为空", field="full_name")
    name_check(name)
    parts = split_name(name, surname=surname or None)
    given, reading, sort = name_columns(parts.surname, parts.given_name)
    return (name, parts.surname, given, parts.is_han, reading, sort)


@functools.lru_cache(maxsize=65_536)
def phone_parse(raw: str) -> Phone:
    """``normalize_phone`` remembered: the slow step of a row, and an import meets
    each number three times (checking, matching, writing)."""
    return normalize_phone(raw)


def phone_of(raw: str) -> Phone:
    try:
        return phone_parse(raw)
    except InvalidPhone as error:
        raise GuestError(
            GuestErrorCode.INVALID_PHONE, error.message, field="phone"
        ) from None


def _db(value: Any, model_field: models.Field[Any, Any]) -> Any:
    if isinstance(value, models.Model):
        value = value.pk
    if value is None or isinstance(value, str | bool):
        return value
    return model_field.get_db_prep_save(value, connection)


@dataclass
class _Columns:
    """The guest table's columns, each default already in database form."""

    names: list[str]
    position: dict[str, int]
    fields: dict[str, models.Field[Any, Any]]
    defaults: list[Any]


def _columns(prop: Property, actor: Actor, now: datetime) -> _Columns:
    template = Guest(property=prop, created_by=_user(actor))
    fields = [f for f in Guest._meta.concrete_fields if not f.primary_key]
    defaults = []
    for model_field in fields:
        value = getattr(template, model_field.attname)
        if model_field.name in ("created_at", "updated_at"):
            value = now
        defaults.append(_db(value, model_field))
    by_name = {f.name: f for f in fields}
    return _Columns(
        names=[f.column for f in fields],
        position={f.name: i for i, f in enumerate(fields)},
        fields=by_name,
        defaults=defaults,
    )


@dataclass
class _Built:
    """One guest as rows, and what its search keys come from."""

    row: list[Any]
    source: GuestKeySource
    phones: list[tuple[str, Phone]] = field(default_factory=list)
    documents: list[tuple[str, str, str]] = field(default_factory=list)


def _build(data: GuestInput, columns: _Columns) -> _Built:
    unknown = data.fields.keys() - _EDITABLE
    if unknown:
        raise GuestError(
            GuestErrorCode.INVALID_VALUE,
            f"不能设置的字段：{', '.join(sorted(unknown))}",
        )
    for field_name, value in data.fields.items():
        guest_value_check(field_name, value)
    values: dict[str, Any] = dict(data.fields)
    name, surname, given, is_han, reading, sort = name_fields(
        str(values.get("full_name") or ""), data.surname
    )
    values.update(
        full_name=name,
        surname=surname,
        given_name=given,
        name_is_han=is_han,
        name_pinyin=reading,
        name_sort=sort,
        surname_explicit=bool(data.surname),
    )
    built = _Built(row=[], source=GuestKeySource(name, surname, given, is_han))
    identity_agreement(
        birth=values.get("birth_date"),
        gender=values.get("gender") or "",
        documents=data.documents,
    )
    for document in data.documents:
        number, birth, gender = parse_identity(document)
        values["birth_date"] = values.get("birth_date") or birth
        values["gender"] = values.get("gender") or gender
        built.documents.append((document.doc_type, number, document.country))
    for raw in data.phones:
        built.phones.append((raw, phone_of(raw)))
    row = list(columns.defaults)
    position, fields = columns.position, columns.fields
    for name_, value in values.items():
        plain = value is None or type(value) is str or type(value) is bool
        row[position[name_]] = value if plain else _db(value, fields[name_])
    built.row = row
    company = values.get("company")
    employer = values.get("employer")
    built.source.companies = [
        n for n in (employer, getattr(company, "name", None)) if n
    ]
    built.source.texts = [values["notes"]] if values.get("notes") else []
    return built


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys of ``model``'s table, for rows inserted by hand.

    PostgreSQL hands them out from the table's sequence. On SQLite the caller's
    transaction holds the write lock (Dossier opens them IMMEDIATE), so the keys
    after the highest ever used are ours until it commits.
    """
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                "FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        highest = max(highest, found[0] if found else 0)
    return list(range(highest + 1, highest + 1 + count))


def _children_rows(
    guest_id: int, built: _Built
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    documents: list[tuple[Any, ...]] = []
    seen: set[str] = set()
    for doc_type, number, country in built.documents:
        index = document_index(doc_type, number)
        if index in seen:
            continue
        seen.add(index)
        tail = number[-4:]
        documents.append(
            (
                guest_id,
                doc_type,
                seal(number),
                index,
                mask_id_number(number),
                tail,
                country,
            )
        )
        built.source.document_indexes.append(index)
        built.source.document_tails.append(tail)
    phones: list[tuple[Any, ...]] = []
    numbers: set[str] = set()
    for raw, phone in built.phones:
        if phone.e164 in numbers:
            continue
        numbers.add(phone.e164)
        kind = PhoneKind.MOBILE if phone.is_mobile else PhoneKind.LANDLINE
        phones.append((guest_id, raw.strip(), phone.e164, str(kind), not phones))
        built.source.phones_national.append(national_of(phone.e164))
    return documents, phones


@transaction.atomic
def guests_bulk_create(
    *,
    actor: Actor,
    property: Property,
    inputs: Sequence[GuestInput],
    source: str = "import",
    note: str = "",
    reindex: bool = True,
    found_by: Sequence[GuestKeySource | None] | None = None,
) -> list[int]:
    """Create one guest per input, all or nothing; returns their ids in input order.

    Raises :class:`GuestError` on the first invalid input, writing nothing; callers
    that want every error reported validate the rows first (the import preview does).
    ``found_by`` (one per input) adds what else each guest is found by (cards,
    preferences) that the caller writes itself in the same transaction; with
    ``reindex=False`` the caller re-indexes (``guest_reindex(ids, fresh=True)``)
    instead.
    """
    if found_by is not None and len(found_by) != len(inputs):
        raise ValueError("found_by needs one source per input")
    ids: list[int] = []
    now = timezone.now()
    columns = _columns(property, actor, now)
    actor_id = getattr(_user(actor), "pk", None)
    at = _db(now, ProfileChange._meta.get_field("at"))
    for start in range(0, len(inputs), BATCH):
        chunk = inputs[start : start + BATCH]
        built = [_build(data, columns) for data in chunk]
        chunk_ids = ids_reserve(Guest, len(built))
        documents: list[tuple[Any, ...]] = []
        phones: list[tuple[Any, ...]] = []
        for guest_id, one in zip(chunk_ids, built, strict=True):
            docs, numbers = _children_rows(guest_id, one)
            documents += docs
            phones += numbers
        rows_insert(
            Guest._meta.db_table,
            ["id", *columns.names],
            [
                [guest_id, *one.row]
                for guest_id, one in zip(chunk_ids, built, strict=True)
            ],
        )
        rows_insert(IdentityDocument._meta.db_table, _DOCUMENT_COLUMNS, documents)
        rows_insert(GuestPhone._meta.db_table, _PHONE_COLUMNS, phones)
        rows_insert(
            ProfileChange._meta.db_table,
            _CHANGE_COLUMNS,
            [(gid, actor_id, at, source, "created", "", note) for gid in chunk_ids],
        )
        if reindex:
            more = found_by[start : start + BATCH] if found_by is not None else ()
            keys_write(
                (gid, property.pk, _with(one.source, more[n] if more else None))
                for n, (gid, one) in enumerate(zip(chunk_ids, built, strict=True))
            )
        ids += chunk_ids
    return ids


def _with(source: GuestKeySource, more: GuestKeySource | None) -> GuestKeySource:
    if more is not None:
        source.cards += more.cards
        source.tags += more.tags
        source.texts += more.texts
        source.preferences += more.preferences
    return source


@dataclass
class _Update:
    guest: Guest
    data: GuestInput
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    changed_fields: list[str] = field(default_factory=list)


def _assign(update: _Update) -> None:
    """The field changes of one guest, as :func:`guest_update` makes them."""
    guest, data = update.guest, update.data
    for name, value in data.fields.items():
        if name not in EDITABLE_FIELDS:
            raise GuestError(
                GuestErrorCode.INVALID_VALUE, f"不能修改的字段：{name}", field=name
            )
        guest_value_check(name, value)
        before = getattr(guest, name)
        if before != value:
            setattr(guest, name, value)
            update.changes.append((name, before, value))
            update.changed_fields.append(name)
    if "full_name" not in data.fields and data.surname is None:
        return
    old_surname = guest.surname
    if data.surname is not None:
        guest.surname_explicit = bool(data.surname)
    explicit = (
        guest.surname
        if guest.surname_explicit and data.surname is None
        else data.surname
    )
    name, surname, given, is_han, reading, sort = name_fields(guest.full_name, explicit)
    guest.full_name, guest.surname, guest.given_name = name, surname, given
    guest.name_is_han, guest.name_pinyin, guest.name_sort = is_han, reading, sort
    update.changed_fields += [
        "full_name", "surname", "given_name", "name_is_han", "name_pinyin",
        "name_sort", "surname_explicit",
    ]  # fmt: skip
    if guest.surname != old_surname:
        update.changes.append(("surname", old_surname, guest.surname))


def _held(ids: list[int]) -> tuple[dict[int, set[str]], dict[int, set[str]], set[int]]:
    """Documents (by index) and phones each guest holds, and who has a primary phone."""
    documents: dict[int, set[str]] = defaultdict(set)
    phones: dict[int, set[str]] = defaultdict(set)
    primary: set[int] = set()
    for guest_id, index in IdentityDocument.objects.filter(
        guest_id__in=ids
    ).values_list("guest_id", "number_index"):
        documents[guest_id].add(index)
    for guest_id, e164, is_primary in GuestPhone.objects.filter(
        guest_id__in=ids
    ).values_list("guest_id", "e164", "is_primary"):
        phones[guest_id].add(e164)
        if is_primary:
            primary.add(guest_id)
    return documents, phones, primary


def _add_children(
    update: _Update,
    held: tuple[dict[int, set[str]], dict[int, set[str]], set[int]],
    documents: list[tuple[Any, ...]],
    phones: list[tuple[Any, ...]],
) -> None:
    guest, data = update.guest, update.data
    held_documents, held_phones, primary = held
    for document in data.documents:
        number, birth, gender = parse_identity(document)
        index = document_index(document.doc_type, number)
        if index in held_documents[guest.pk]:
            continue
        held_documents[guest.pk].add(index)
        if birth and not guest.birth_date:
            guest.birth_date = birth
            update.changed_fields.append("birth_date")
        if gender and not guest.gender:
            guest.gender = gender
            update.changed_fields.append("gender")
        documents.append(
            (guest.pk, document.doc_type, seal(number), index, mask_id_number(number),
             number[-4:], document.country)
        )  # fmt: skip
        update.changes.append(("document", "", document.doc_type))
    for raw in data.phones:
        phone = phone_of(raw)
        if phone.e164 in held_phones[guest.pk]:
            continue
        held_phones[guest.pk].add(phone.e164)
        kind = PhoneKind.MOBILE if phone.is_mobile else PhoneKind.LANDLINE
        is_primary = guest.pk not in primary
        primary.add(guest.pk)
        phones.append((guest.pk, raw.strip(), phone.e164, str(kind), is_primary))
        update.changes.append(("phone", "", raw.strip()))


def _concrete(found: object) -> models.Field[Any, Any]:
    assert isinstance(found, models.Field)
    return found


def _save(updates: list[_Update], now: datetime) -> None:
    """One ``UPDATE`` statement per set of changed columns, run for all its guests."""
    groups: dict[tuple[str, ...], list[_Update]] = defaultdict(list)
    for update in updates:
        groups[tuple(sorted(set(update.changed_fields)))].append(update)
    quote = connection.ops.quote_name
    meta = Guest._meta
    updated_at = _db(now, meta.get_field("updated_at"))
    for names, members in groups.items():
        fields = [_concrete(meta.get_field(name)) for name in names]
        assignments = [f"{quote(f.column)} = %s" for f in fields]
        sql = (
            f"UPDATE {quote(meta.db_table)} SET "
            f"{', '.join([*assignments, quote('updated_at') + ' = %s'])} WHERE id = %s"
        )
        rows = [
            [
                *(_db(getattr(u.guest, f.attname), f) for f in fields),
                updated_at,
                u.guest.pk,
            ]
            for u in members
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    for update in updates:
        update.guest.updated_at = now


@transaction.atomic
def guests_bulk_update(
    *,
    actor: Actor,
    items: Sequence[tuple[int, GuestInput]],
    source: str = "import",
) -> list[Guest]:
    """Apply :func:`guest_update` to many guests: ``(guest id, input)`` each.

    Changes fields, adds phones and documents, records one ``ProfileChange`` per
    change and re-indexes each batch once; all or nothing. Returns the guests in
    input order, as saved.
    """
    saved: list[Guest] = []
    now = timezone.now()
    actor_id = getattr(_user(actor), "pk", None)
    at = _db(now, ProfileChange._meta.get_field("at"))
    for start in range(0, len(items), BATCH):
        chunk = items[start : start + BATCH]
        ids = [guest_id for guest_id, _ in chunk]
        guests = Guest.objects.select_for_update().in_bulk(ids)
        held = _held(ids)
        updates = [_Update(guests[guest_id], data) for guest_id, data in chunk]
        documents: list[tuple[Any, ...]] = []
        phones: list[tuple[Any, ...]] = []
        for update in updates:
            _assign(update)
            _add_children(update, held, documents, phones)
        _save(updates, now)
        rows_insert(IdentityDocument._meta.db_table, _DOCUMENT_COLUMNS, documents)
        rows_insert(GuestPhone._meta.db_table, _PHONE_COLUMNS, phones)
        rows_insert(
            ProfileChange._meta.db_table,
            _CHANGE_COLUMNS,
            [
                (
                    u.guest.pk,
                    actor_id,
                    at,
                    source,
                    name,
                    _render(before),
                    _render(after),
                )
                for u in updates
                for name, before, after in u.changes
            ],
        )
        guest_reindex(ids)
        saved += [u.guest for u in updates]
    return saved
