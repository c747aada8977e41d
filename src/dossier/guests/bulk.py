"""Creating many guests at once, for imports and demo data.

The same validation and derivation as :func:`guest_create` (name split and pinyin,
birth date and gender from the ID number, sealed documents, normalised phones), but
written with one ``bulk_create`` per table and re-indexed in batches.
"""

from collections.abc import Sequence

from django.db import transaction
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
    _apply_name,
    _user,
    document_index,
    parse_identity,
)
from dossier.search.indexing import guest_reindex
from dossier.zh.idnumber import mask_id_number
from dossier.zh.phones import InvalidPhone, normalize_phone

BATCH = 2000


def _build(prop: Property, data: GuestInput, actor: Actor) -> Guest:
    unknown = set(data.fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise GuestError(
            GuestErrorCode.INVALID_VALUE,
            f"不能设置的字段：{', '.join(sorted(unknown))}",
        )
    guest = Guest(property=prop, created_by=_user(actor), **data.fields)
    _apply_name(guest, data.surname)
    for document in data.documents:
        _, birth, gender = parse_identity(document)
        guest.birth_date = guest.birth_date or birth
        guest.gender = guest.gender or gender
    return guest


def _children(
    guest: Guest, data: GuestInput
) -> tuple[list[IdentityDocument], list[GuestPhone]]:
    documents: list[IdentityDocument] = []
    seen: set[str] = set()
    for document in data.documents:
        number, _, _ = parse_identity(document)
        index = document_index(document.doc_type, number)
        if index in seen:
            continue
        seen.add(index)
        documents.append(
            IdentityDocument(
                guest=guest,
                doc_type=document.doc_type,
                number_sealed=seal(number),
                number_index=index,
                number_masked=mask_id_number(number),
                tail=number[-4:],
                country=document.country,
            )
        )
    phones: list[GuestPhone] = []
    numbers: set[str] = set()
    for raw in data.phones:
        try:
            phone = normalize_phone(raw)
        except InvalidPhone as error:
            raise GuestError(
                GuestErrorCode.INVALID_PHONE, error.message, field="phone"
            ) from None
        if phone.e164 in numbers:
            continue
        numbers.add(phone.e164)
        phones.append(
            GuestPhone(
                guest=guest,
                raw=raw.strip(),
                e164=phone.e164,
                kind=PhoneKind.MOBILE if phone.is_mobile else PhoneKind.LANDLINE,
                is_primary=not phones,
            )
        )
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
) -> list[int]:
    """Create one guest per input, all or nothing; returns their ids in input order.

    Raises :class:`GuestError` on the first invalid input, writing nothing; callers
    that want every error reported validate the rows first (the import preview does).
    """
    ids: list[int] = []
    now = timezone.now()
    for start in range(0, len(inputs), BATCH):
        chunk = inputs[start : start + BATCH]
        guests = [_build(property, data, actor) for data in chunk]
        Guest.objects.bulk_create(guests)
        documents: list[IdentityDocument] = []
        phones: list[GuestPhone] = []
        for guest, data in zip(guests, chunk, strict=True):
            docs, numbers = _children(guest, data)
            documents += docs
            phones += numbers
        IdentityDocument.objects.bulk_create(documents)
        GuestPhone.objects.bulk_create(phones)
        ProfileChange.objects.bulk_create(
            ProfileChange(
                guest=guest,
                actor=_user(actor),
                at=now,
                source=source,
                field="created",
                after=note,
            )
            for guest in guests
        )
        ids += [guest.pk for guest in guests]
    if reindex:
        guest_reindex(ids)
    return ids
