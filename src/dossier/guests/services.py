"""Every change to a guest profile goes through one function here.

Each function validates, writes, records the change log and re-indexes the guest for
search, inside one transaction; web views, the API, imports and the CLI all call them.
"""

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.core.crypto import blind_index, seal, unseal
from dossier.core.dates import month_day
from dossier.core.models import Property
from dossier.core.money import to_money
from dossier.duplicates.services import duplicates_check
from dossier.guests.dates import special_date_problem
from dossier.guests.errors import GuestError, GuestErrorCode
from dossier.guests.models import (
    CalendarKind,
    Company,
    DocumentType,
    Gender,
    Guest,
    GuestPhone,
    GuestPreference,
    IdentityDocument,
    Observation,
    ObservationStatus,
    PhoneKind,
    PreferenceItem,
    PreferenceKind,
    ProfileChange,
    SpecialDate,
    SpecialDateKind,
)
from dossier.search.indexing import guest_reindex
from dossier.zh.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from dossier.zh.names import name_pinyin, name_symbols, pinyin_sort_key, split_name
from dossier.zh.phones import InvalidPhone, normalize_phone

Actor = User | AnonymousUser | None

# Profile fields staff may set directly; everything else is derived or has its own door.
EDITABLE_FIELDS = (
    "full_name", "gender", "birth_date", "company", "is_company_contact", "employer",
    "title", "residence", "email", "arrival_reason", "usual_rate", "payment_method",
    "guest_class", "vip_level", "honorific_override", "blacklisted",
    "blacklist_reason", "family", "education", "professional_title", "personality",
    "notes",
)  # fmt: skip


@dataclass
class IdentityInput:
    number: str
    doc_type: str = DocumentType.RESIDENT_ID
    country: str = ""


@dataclass
class GuestInput:
    """What a form, an import row or an API call gives to create or update a guest."""

    fields: dict[str, Any] = field(default_factory=dict)
    surname: str | None = None
    phones: list[str] = field(default_factory=list)
    documents: list[IdentityInput] = field(default_factory=list)
    # On update: ``phones`` is the whole list (a form's field), so numbers not in it
    # are removed; otherwise (imports, the API) they are added to those held.
    phones_complete: bool = False


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _apply_name(guest: Guest, surname: str | None) -> None:
    full_name = " ".join(guest.full_name.split())
    if not full_name:
        raise GuestError(
            GuestErrorCode.INVALID_NAME, _("姓名不能为空"), field="full_name"
        )
    name_check(full_name)
    if surname is not None:
        guest.surname_explicit = bool(surname)
    explicit = guest.surname if guest.surname_explicit and surname is None else surname
    parts = split_name(full_name, surname=explicit or None)
    guest.full_name = full_name
    guest.surname, guest.name_is_han = parts.surname, parts.is_han
    guest.given_name, guest.name_pinyin, guest.name_sort = name_columns(
        parts.surname, parts.given_name
    )


def name_check(full_name: str) -> None:
    """Refuse a name with a character no person's name has, naming it."""
    if symbols := name_symbols(full_name):
        raise GuestError(
            GuestErrorCode.INVALID_NAME,
            _("姓名中有表情或符号“%(symbols)s”，请只写姓名的文字")
            % {"symbols": symbols},
            field="full_name",
        )


def _column_width(name: str) -> int:
    field = Guest._meta.get_field(name)
    assert isinstance(field, models.CharField)
    return int(field.max_length or 0)


_GIVEN_MAX, _READING_MAX, _SORT_MAX = (
    _column_width(name) for name in ("given_name", "name_pinyin", "name_sort")
)


def name_columns(surname: str, given_name: str) -> tuple[str, str, str]:
    """The given name, reading and sort key of a split name, cut to their columns.

    The full name keeps every character; a name as long as it allows has a given
    name and a reading longer than their columns. The reading is cut after a whole
    syllable.
    """
    reading = name_pinyin(surname, given_name)
    if len(reading) > _READING_MAX:
        cut = reading[:_READING_MAX]
        whole = reading[_READING_MAX] == " " or " " not in cut
        reading = cut if whole else cut.rsplit(" ", 1)[0]
    sort = pinyin_sort_key(surname, given_name)[:_SORT_MAX]
    return given_name[:_GIVEN_MAX], reading, sort


def parse_identity(doc: IdentityInput) -> tuple[str, date | None, str]:
    """The canonical number, and the birth date and gender a resident ID gives."""
    return _identity_of(doc.number, doc.doc_type)


# An import checks each number when it reads the row, again when it matches it and
# again when it writes it; a refused number raises and is not remembered.
@functools.lru_cache(maxsize=16_384)
def _identity_of(number: str, doc_type: str) -> tuple[str, date | None, str]:
    raw = number.strip()
    if doc_type not in DocumentType.values:
        raise GuestError(
            GuestErrorCode.INVALID_VALUE,
            _("证件类型“%(value)s”无效，应为：%(choices)s")
            % {"value": doc_type, "choices": "、".join(DocumentType.values)},
            field="id_type",
        )
    if doc_type in (DocumentType.RESIDENT_ID, DocumentType.HMT_RESIDENCE):
        try:
            parsed = parse_id_number(raw)
        except InvalidIdNumber as error:
            raise GuestError(
                GuestErrorCode.INVALID_ID_NUMBER, error.message, field="id_number"
            ) from None
        return parsed.number, parsed.birth_date, parsed.gender
    number = "".join(raw.split()).upper()
    if not number.isalnum() or not 5 <= len(number) <= 30:
        raise GuestError(
            GuestErrorCode.INVALID_ID_NUMBER,
            _("证件号码格式不正确：%(raw)s") % {"raw": raw},
            field="id_number",
        )
    return number, None, ""


def identity_agreement(
    *, birth: date | None, gender: str, documents: Iterable[IdentityInput]
) -> None:
    """Refuse a birth date or gender that contradicts a resident ID number given."""
    for document in documents:
        _number, id_birth, id_gender = parse_identity(document)
        if id_birth and birth and birth != id_birth:
            raise GuestError(
                GuestErrorCode.INVALID_VALUE,
                _("出生日期与身份证号不符：身份证为 %(date)s")
                % {"date": id_birth.isoformat()},
                field="birth_date",
            )
        if id_gender and gender and gender != id_gender:
            raise GuestError(
                GuestErrorCode.INVALID_VALUE,
                _("性别与身份证号不符：身份证为%(gender)s")
                % {"gender": Gender(id_gender).label},
                field="gender",
            )


def _documents_held(guest: Guest) -> list[IdentityInput]:
    """The guest's resident IDs, unsealed to compare their birth date and gender."""
    return [
        IdentityInput(number=unseal(d.number_sealed), doc_type=d.doc_type)
        for d in guest.documents.filter(
            doc_type__in=(DocumentType.RESIDENT_ID, DocumentType.HMT_RESIDENCE)
        )
    ]


def document_index(doc_type: str, number: str) -> str:
    return blind_index(f"{doc_type}:{number}")


def _set_document(guest: Guest, doc: IdentityInput) -> IdentityDocument:
    number, birth, gender = parse_identity(doc)
    index = document_index(doc.doc_type, number)
    found = guest.documents.filter(number_index=index).first()
    if found is not None:
        return found
    if birth and not guest.birth_date:
        guest.birth_date = birth
    if gender and not guest.gender:
        guest.gender = gender
    return IdentityDocument.objects.create(
        guest=guest,
        doc_type=doc.doc_type,
        number_sealed=seal(number),
        number_index=index,
        number_masked=mask_id_number(number),
        tail=number[-4:],
        country=doc.country,
    )


def _set_phone(guest: Guest, raw: str, *, primary: bool) -> GuestPhone | None:
    try:
        phone = normalize_phone(raw)
    except InvalidPhone as error:
        raise GuestError(
            GuestErrorCode.INVALID_PHONE, error.message, field="phone"
        ) from None
    found = guest.phones.filter(e164=phone.e164).first()
    if found is not None:
        return None
    kind = PhoneKind.MOBILE if phone.is_mobile else PhoneKind.LANDLINE
    return GuestPhone.objects.create(
        guest=guest,
        raw=raw.strip(),
        e164=phone.e164,
        kind=kind,
        is_primary=primary and not guest.phones.filter(is_primary=True).exists(),
    )


def _phones_drop(guest: Guest, kept: Iterable[str]) -> list[tuple[str, Any, Any]]:
    """Remove the guest's numbers that ``kept`` no longer lists; the first one kept
    becomes the primary number when the primary one went."""
    numbers = set()
    for raw in kept:
        try:
            numbers.add(normalize_phone(raw).e164)
        except InvalidPhone as error:
            raise GuestError(
                GuestErrorCode.INVALID_PHONE, error.message, field="phone"
            ) from None
    dropped = list(guest.phones.exclude(e164__in=numbers).order_by("id"))
    if not dropped:
        return []
    GuestPhone.objects.filter(pk__in=[p.pk for p in dropped]).delete()
    remaining = guest.phones.order_by("-is_primary", "id").first()
    if remaining is not None and not remaining.is_primary:
        remaining.is_primary = True
        remaining.save(update_fields=["is_primary"])
    return [("phone", phone.raw, "") for phone in dropped]


def _render(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _record(
    guest: Guest, actor: Actor, source: str, changes: Iterable[tuple[str, Any, Any]]
) -> None:
    now = timezone.now()
    ProfileChange.objects.bulk_create(
        ProfileChange(
            guest=guest,
            actor=_user(actor),
            at=now,
            source=source,
            field=name,
            before=_render(before),
            after=_render(after),
        )
        for name, before, after in changes
    )


def guest_value_check(name: str, value: Any) -> None:
    """Refuse values no form would accept, whichever door they came through."""
    if (
        name == "birth_date"
        and value is not None
        and not (date(1900, 1, 1) <= value <= timezone.localdate())
    ):
        raise GuestError(
            GuestErrorCode.INVALID_VALUE,
            _("出生日期不合理：%(value)s") % {"value": value},
            field=name,
        )
    if name == "email" and value:
        try:
            validate_email(value)
        except ValidationError:
            raise GuestError(
                GuestErrorCode.INVALID_VALUE,
                _("电子邮件格式不正确：%(value)s") % {"value": value},
                field=name,
            ) from None
    if name == "usual_rate" and value is not None:
        try:
            rate = to_money(value)
        except (TypeError, ValueError):
            raise GuestError(
                GuestErrorCode.INVALID_VALUE,
                _("房价不正确：%(value)s") % {"value": value},
                field=name,
            ) from None
        if rate < 0:
            raise GuestError(
                GuestErrorCode.INVALID_VALUE,
                _("房价不能为负数：%(value)s") % {"value": value},
                field=name,
            )
    if name == "gender" and value not in Gender.values:
        raise GuestError(
            GuestErrorCode.INVALID_VALUE,
            _("性别“%(value)s”无效，应为 M（男）、F（女）或留空") % {"value": value},
            field=name,
        )


def _assign(guest: Guest, values: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    changed = []
    for name, value in values.items():
        if name not in EDITABLE_FIELDS:
            raise GuestError(
                GuestErrorCode.INVALID_VALUE,
                _("不能修改的字段：%(name)s") % {"name": name},
                field=name,
            )
        guest_value_check(name, value)
        before = getattr(guest, name)
        if before != value:
            setattr(guest, name, value)
            changed.append((name, before, value))
    return changed


@transaction.atomic
def guest_create(
    *, actor: Actor, property: Property, data: GuestInput, source: str = "form"
) -> Guest:
    """Create a guest with phones and identity documents; all or nothing."""
    guest = Guest(property=property, created_by=_user(actor))
    changes = _assign(guest, {"full_name": "", **data.fields})
    _apply_name(guest, data.surname)
    identity_agreement(
        birth=guest.birth_date, gender=guest.gender, documents=data.documents
    )
    guest.save()
    for document in data.documents:
        _set_document(guest, document)
        changes.append(("document", "", document.doc_type))
    for position, raw in enumerate(data.phones):
        if _set_phone(guest, raw, primary=position == 0):
            changes.append(("phone", "", raw.strip()))
    guest.save()
    _record(guest, actor, source, [c for c in changes if c[2] not in ("", None)])
    guest_reindex([guest.pk])
    duplicates_check(guest_ids=[guest.pk])
    return guest


# Changes that may make a profile another's duplicate: checked again as on creation.
IDENTIFYING_CHANGES = frozenset(
    {"full_name", "surname", "birth_date", "email", "phone", "document"}
)


@transaction.atomic
def guest_update(
    *, actor: Actor, guest: Guest, data: GuestInput, source: str = "form"
) -> Guest:
    """Change fields of a guest, add phones and documents; every change is recorded,
    and a profile whose name, birthday, e-mail, phones or documents changed is
    checked for duplicates again."""
    guest = Guest.objects.select_for_update().get(pk=guest.pk)
    old_surname = guest.surname
    changes = _assign(guest, data.fields)
    if "full_name" in data.fields or data.surname is not None:
        _apply_name(guest, data.surname)
        if guest.surname != old_surname:
            changes.append(("surname", old_surname, guest.surname))
    if {"birth_date", "gender"} & {name for name, _b, _a in changes} or data.documents:
        identity_agreement(
            birth=guest.birth_date,
            gender=guest.gender,
            documents=[*data.documents, *_documents_held(guest)],
        )
    for document in data.documents:
        before = guest.documents.count()
        _set_document(guest, document)
        if guest.documents.count() != before:
            changes.append(("document", "", document.doc_type))
    if data.phones_complete:
        changes += _phones_drop(guest, data.phones)
    for raw in data.phones:
        if _set_phone(guest, raw, primary=True):
            changes.append(("phone", "", raw.strip()))
    guest.save()
    _record(guest, actor, source, changes)
    guest_reindex([guest.pk])
    if any(name in IDENTIFYING_CHANGES for name, _before, _after in changes):
        duplicates_check(guest_ids=[guest.pk])
    return guest


# What a preference's number column holds: 10 digits, 2 of them decimals.
_NUMBER_LIMIT = Decimal(10) ** 8

# The values a guest's preference in a unit can have: a room's air or a bath's
# water, in degrees Celsius, is never below 10 or above 50.
_PLAUSIBLE = {"°C": (Decimal(10), Decimal(50))}


def _preference_value(item: PreferenceItem, raw: str) -> tuple[str, Decimal | None]:
    text = raw.strip()
    if item.kind == PreferenceKind.NUMBER:
        number_text = text.removesuffix(item.unit).strip() if item.unit else text
        try:
            number = Decimal(number_text)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise GuestError(
                GuestErrorCode.INVALID_VALUE,
                _("%(name)s 应为数值（%(unit)s），实为“%(raw)s”")
                % {"name": item.name, "unit": item.unit, "raw": raw},
                field=item.code,
            )
        if abs(number) >= _NUMBER_LIMIT or number != round(number, 2):
            raise GuestError(
                GuestErrorCode.INVALID_VALUE,
                _("%(name)s 超出范围：整数最多 8 位、小数最多 2 位，实为“%(raw)s”")
                % {"name": item.name, "raw": raw},
                field=item.code,
            )
        low, high = _PLAUSIBLE.get(item.unit, (-_NUMBER_LIMIT, _NUMBER_LIMIT))
        if not low <= number <= high:
            raise GuestError(
                GuestErrorCode.INVALID_VALUE,
                _("%(name)s 应在 %(low)s 至 %(high)s %(unit)s之间，实为“%(raw)s”")
                % {
                    "name": item.name,
                    "low": low,
                    "high": high,
                    "unit": item.unit,
                    "raw": raw,
                },
                field=item.code,
            )
        return "", number
    if item.kind == PreferenceKind.CHOICE and item.choices and text not in item.choices:
        options = "、".join(item.choices)
        raise GuestError(
            GuestErrorCode.INVALID_VALUE,
            _("%(name)s 应为以下之一：%(options)s；实为“%(raw)s”")
            % {"name": item.name, "options": options, "raw": raw},
            field=item.code,
        )
    return text, None


@transaction.atomic
def preference_set(
    *,
    actor: Actor,
    guest: Guest,
    item: PreferenceItem,
    value: str,
    note: str = "",
    source: str = "form",
) -> GuestPreference:
    """Set the guest's value of one catalogue item, recording before and after."""
    text, number = _preference_value(item, value)
    current = GuestPreference.objects.filter(guest=guest, item=item).first()
    before = current.display_value() if current else ""
    preference = current or GuestPreference(guest=guest, item=item)
    preference.value_text, preference.value_number = text, number
    preference.note = note or preference.note
    preference.updated_at = timezone.now()
    preference.save()
    after = preference.display_value()
    if before != after:
        _record(guest, actor, source, [(f"preference:{item.code}", before, after)])
    guest_reindex([guest.pk])
    return preference


@transaction.atomic
def observation_add(
    *,
    actor: User,
    guest: Guest,
    department: str,
    text: str,
    touchpoint: str = "",
    kind: str = "preference",
    item: PreferenceItem | None = None,
    proposed_value: str = "",
) -> Observation:
    """File what a member of staff noticed; it waits for a reviewer."""
    if not text.strip():
        raise GuestError(GuestErrorCode.INVALID_VALUE, _("内容不能为空"), field="text")
    if item is not None and proposed_value:
        _preference_value(item, proposed_value)
    observation = Observation.objects.create(
        guest=guest,
        kind=kind,
        department=department,
        staff=actor,
        touchpoint=touchpoint,
        text=text.strip(),
        item=item,
        proposed_value=proposed_value.strip(),
    )
    guest_reindex([guest.pk])
    return observation


@transaction.atomic
def observation_review(
    *, actor: User, observation: Observation, confirm: bool
) -> Observation:
    """Confirm an observation into the profile, or reject it."""
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if observation.status != ObservationStatus.PENDING:
        raise GuestError(GuestErrorCode.ALREADY_REVIEWED, _("该条客史信息已审核"))
    if confirm and observation.item is not None and observation.proposed_value:
        preference_set(
            actor=actor,
            guest=observation.guest,
            item=observation.item,
            value=observation.proposed_value,
            note=f"来自{observation.get_department_display()}的观察",
            source="observation",
        )
    observation.status = (
        ObservationStatus.CONFIRMED if confirm else ObservationStatus.REJECTED
    )
    observation.reviewed_by = actor
    observation.reviewed_at = timezone.now()
    observation.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    guest_reindex([observation.guest_id])
    return observation


@transaction.atomic
def _solar_birthday_check(guest: Guest, year: int | None, month: int, day: int) -> None:
    """A guest has one birthday on the solar calendar, that of their birth date;
    a lunar one may stand beside it, as many celebrate both. (The birth date is
    not named: beside a masked ID number not every member of staff may see it.)"""
    held = guest.special_dates.filter(
        kind=SpecialDateKind.BIRTHDAY, calendar=CalendarKind.SOLAR
    ).first()
    if held is not None:
        raise GuestError(
            GuestErrorCode.INVALID_VALUE,
            _("已有公历生日（%(date)s），请修改它，不要再加一个")
            % {"date": month_day(date(2000, held.month, held.day))},
            field="kind",
        )
    birth = guest.birth_date
    if birth is not None and (
        (month, day) != (birth.month, birth.day) or year not in (None, birth.year)
    ):
        raise GuestError(
            GuestErrorCode.INVALID_VALUE,
            _("生日与档案中的出生日期不一致，请核对"),
            field="day",
        )


def special_date_add(
    *,
    actor: Actor,
    guest: Guest,
    kind: str,
    month: int,
    day: int,
    calendar: str = "solar",
    year: int | None = None,
    is_leap_month: bool = False,
    label: str = "",
    source: str = "form",
) -> SpecialDate:
    """Add a birthday, anniversary or other date worth remembering to a profile."""
    problem = special_date_problem(
        calendar_kind=calendar,
        year=year,
        month=month,
        day=day,
        is_leap_month=is_leap_month,
    )
    if problem is not None:
        raise GuestError(GuestErrorCode.INVALID_VALUE, _(problem[1]), field=problem[0])
    if kind == SpecialDateKind.BIRTHDAY and calendar == CalendarKind.SOLAR:
        _solar_birthday_check(guest, year, month, day)
    special = SpecialDate.objects.create(
        guest=guest,
        kind=kind,
        label=label.strip(),
        calendar=calendar,
        year=year,
        month=month,
        day=day,
        is_leap_month=is_leap_month,
    )
    _record(guest, actor, source, [("special_date", "", str(special))])
    return special


@transaction.atomic
def preference_clear(
    *, actor: Actor, guest: Guest, item: PreferenceItem, source: str = "form"
) -> None:
    """Remove the guest's value of one catalogue item, recording what it was."""
    current = GuestPreference.objects.filter(guest=guest, item=item).first()
    if current is None:
        return
    before = current.display_value()
    current.delete()
    _record(guest, actor, source, [(f"preference:{item.code}", before, "")])
    guest_reindex([guest.pk])


@transaction.atomic
def company_save(*, company: Company) -> Company:
    """Save a corporate client; when its name changed, its contacts are re-indexed,
    so that search finds them by the new name and no longer by the old one."""
    renamed = (
        company.pk is not None
        and not Company.objects.filter(pk=company.pk, name=company.name).exists()
    )
    company.save()
    if renamed:
        guest_reindex(
            Guest.objects.filter(company=company).values_list("pk", flat=True)
        )
    return company
