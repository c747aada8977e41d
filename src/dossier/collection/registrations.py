"""Guest self-registration cards (客人资料登记卡) and VIP enrolment forms (G23).

A card filled in at the desk with staff, or by the guest on their phone through a
public link, becomes a pending :class:`Registration`; staff confirm it into a profile
(through :func:`dossier.guests.services.guest_create`, which runs the duplicate check)
or attach it to an existing profile it matches. Consent to marketing is recorded per
channel, with the form as its source.
"""

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.care.models import ConsentChannel, ConsentPurpose
from dossier.care.services import consent_record
from dossier.collection.errors import CollectionError, FieldsInvalid
from dossier.collection.models import (
    Registration,
    RegistrationKind,
    RegistrationLink,
    RegistrationStatus,
)
from dossier.core.audit import AuditAction, audit
from dossier.core.crypto import seal, unseal
from dossier.core.models import Property
from dossier.guests.models import DocumentType, Guest, IdentityDocument
from dossier.guests.selectors import guests_current
from dossier.guests.services import (
    GuestInput,
    IdentityInput,
    document_index,
    guest_create,
    guest_update,
    observation_add,
)
from dossier.zh.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from dossier.zh.phones import InvalidPhone, normalize_phone

SOURCES = {RegistrationKind.CARD: "登记卡", RegistrationKind.VIP: "VIP 入会表"}
DATE_FORMATS = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"
)
# A guest on a phone may retry a few times; a script may not fill the queue.
RATE_PER_ADDRESS = (5, 600)
RATE_PER_LINK = (200, 86_400)
LINK_DAYS = 30


@dataclass
class CardInput:
    """What a guest wrote on the card, as written."""

    full_name: str = ""
    mobile: str = ""
    birth_date: str | date = ""
    gender: str = ""
    id_number: str = ""
    company: str = ""
    title: str = ""
    email: str = ""
    preferences: str = ""
    marketing_channels: list[str] = field(default_factory=list)


@dataclass
class _Clean:
    full_name: str
    mobile: str
    mobile_raw: str
    birth_date: date | None
    gender: str
    id_number: str
    values: dict[str, str]
    channels: list[str]


def date_parse(raw: str | date, today: date) -> date:
    """A birthday as written ("1985-03-14", "1985/3/14", "1985年3月14日")."""
    if isinstance(raw, date):
        found = raw
    else:
        match = DATE_FORMATS.match(raw.strip())
        if match is None:
            raise ValueError(
                _("生日“%(raw)s”无法识别，请写成 1985-03-14") % {"raw": raw}
            )
        try:
            found = date(*(int(g) for g in match.groups()))
        except ValueError:
            raise ValueError(_("生日“%(raw)s”不是真实的日期") % {"raw": raw}) from None
    if not date(1900, 1, 1) <= found <= today:
        raise ValueError(
            _("生日“%(found)s”不在 1900 年到今天之间") % {"found": f"{found:%Y-%m-%d}"}
        )
    return found


def _birth(data: CardInput, today: date, errors: dict[str, str]) -> date | None:
    if data.birth_date in ("", None):
        errors["birth_date"] = _("请填写生日")
        return None
    try:
        return date_parse(data.birth_date, today)
    except ValueError as error:
        errors["birth_date"] = str(error)
        return None


def _mobile(raw: str, errors: dict[str, str]) -> str:
    if not raw.strip():
        errors["mobile"] = _("请填写手机号码")
        return ""
    try:
        phone = normalize_phone(raw)
    except InvalidPhone as error:
        errors["mobile"] = error.message
        return ""
    if not phone.is_mobile:
        errors["mobile"] = _("“%(strip)s”是固定电话，请填写手机号码") % {
            "strip": raw.strip()
        }
        return ""
    return phone.e164


def _identity(
    data: CardInput, birth: date | None, today: date, errors: dict[str, str]
) -> tuple[str, str]:
    if not data.id_number.strip():
        return "", data.gender
    try:
        parsed = parse_id_number(data.id_number, today=today)
    except InvalidIdNumber as error:
        errors["id_number"] = error.message
        return "", data.gender
    if birth is not None and parsed.birth_date != birth:
        errors["birth_date"] = _(
            "生日与身份证号码中的出生日期（%(birth_date)s）不一致"
        ) % {"birth_date": f"{parsed.birth_date:%Y-%m-%d}"}
    if data.gender and data.gender != parsed.gender:
        errors["gender"] = _("性别与身份证号码不一致")
    return parsed.number, data.gender or parsed.gender


def card_clean(data: CardInput, *, today: date) -> _Clean:
    """Check every field of a card at once; :class:`FieldsInvalid` lists each fault."""
    errors: dict[str, str] = {}
    name = " ".join(data.full_name.split())
    if not name:
        errors["full_name"] = _("请填写姓名")
    elif len(name) > 100:
        errors["full_name"] = _("姓名最多 100 字")
    mobile = _mobile(data.mobile, errors)
    birth = _birth(data, today, errors)
    if data.gender not in ("", "M", "F"):
        errors["gender"] = _("性别“%(gender)s”无效") % {"gender": data.gender}
    number, gender = _identity(data, birth, today, errors)
    email = data.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("电子邮件“%(email)s”格式不正确") % {"email": email}
    limits = {"company": 200, "title": 100, "preferences": 1000}
    values = {k: " ".join(getattr(data, k).split()) for k in limits}
    for key, limit in limits.items():
        if len(values[key]) > limit:
            errors[key] = _("最多 %(limit)s 字") % {"limit": limit}
    unknown = [c for c in data.marketing_channels if c not in ConsentChannel.values]
    if unknown:
        errors["marketing_channels"] = _("未知的渠道：%(unknown)s") % {
            "unknown": unknown[0]
        }
    if errors:
        raise FieldsInvalid(errors)
    values["email"] = email
    return _Clean(
        full_name=name,
        mobile=mobile,
        mobile_raw=data.mobile.strip(),
        birth_date=birth,
        gender=gender,
        id_number=number,
        values=values,
        channels=list(dict.fromkeys(data.marketing_channels)),
    )


def submission_allowed(address: str, link: RegistrationLink | None) -> bool:
    """Whether one more public submission may be taken from ``address`` and ``link``."""
    keys = [(f"collection:card:ip:{address}", RATE_PER_ADDRESS)]
    if link is not None:
        keys.append((f"collection:card:link:{link.pk}", RATE_PER_LINK))
    for key, (limit, seconds) in keys:
        cache.add(key, 0, seconds)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, seconds)
            count = 1
        if count > limit:
            return False
    return True


@transaction.atomic
def registration_submit(
    *,
    property: Property,
    kind: str,
    data: CardInput,
    actor: User | None = None,
    link: RegistrationLink | None = None,
) -> Registration:
    """Take a filled-in card; it waits for staff to confirm it."""
    if kind not in RegistrationKind.values:
        raise CollectionError(_("表格“%(kind)s”无效") % {"kind": kind}, field="kind")
    if link is not None and not link.is_open():
        raise CollectionError(
            _("该登记链接已失效，请向工作人员索取新的链接"), field="link"
        )
    clean = card_clean(data, today=property.today())
    registration = Registration.objects.create(
        property=property,
        kind=kind,
        link=link,
        full_name=clean.full_name,
        mobile=clean.mobile,
        mobile_raw=clean.mobile_raw,
        birth_date=clean.birth_date,
        gender=clean.gender,
        id_number_sealed=seal(clean.id_number) if clean.id_number else "",
        id_number_masked=mask_id_number(clean.id_number) if clean.id_number else "",
        marketing_channels=clean.channels,
        submitted_by=actor,
        **clean.values,
    )
    audit(
        actor=actor,
        action=AuditAction.REGISTRATION_SUBMITTED,
        obj=registration,
        kind=kind,
        via="link" if link else "desk",
    )
    return registration


def registration_matches(registration: Registration) -> list[Guest]:
    """Existing profiles the card may belong to: same ID, same mobile, same name and birthday."""
    query = Q(phones__e164=registration.mobile)
    if registration.id_number_sealed:
        number = unseal(registration.id_number_sealed)
        index = document_index(DocumentType.RESIDENT_ID, number)
        query |= Q(
            pk__in=IdentityDocument.objects.filter(number_index=index).values(
                "guest_id"
            )
        )
    if registration.birth_date:
        query |= Q(full_name=registration.full_name, birth_date=registration.birth_date)
    found = guests_current().filter(query, property=registration.property)
    return list(found.distinct().order_by("pk")[:10])


def _pending(registration: Registration) -> Registration:
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status != RegistrationStatus.PENDING:
        raise CollectionError(_("该登记已处理过"), field="status")
    return locked


@transaction.atomic
def registration_confirm(
    *, actor: User, registration: Registration, guest: Guest | None = None
) -> Guest:
    """Make the card a profile, or add it to ``guest``; record consents and preferences."""
    registration = _pending(registration)
    source = SOURCES[RegistrationKind(registration.kind)]
    documents = []
    if registration.id_number_sealed:
        documents = [IdentityInput(unseal(registration.id_number_sealed))]
    if guest is None:
        guest = guest_create(
            actor=actor,
            property=registration.property,
            data=GuestInput(
                fields=_profile_fields(registration, None),
                phones=[registration.mobile_raw],
                documents=documents,
            ),
            source="registration",
        )
    else:
        if guest.property_id != registration.property_id:
            raise CollectionError(_("该客人不属于本店"), field="guest")
        guest = guest_update(
            actor=actor,
            guest=guest,
            data=GuestInput(
                fields=_profile_fields(registration, guest),
                phones=[registration.mobile_raw],
                documents=documents,
            ),
            source="registration",
        )
    for channel in ConsentChannel.values:
        consent_record(
            actor=actor,
            guest=guest,
            channel=channel,
            purpose=ConsentPurpose.MARKETING,
            granted=channel in registration.marketing_channels,
            source=source,
            at=registration.submitted_at,
        )
    if registration.preferences:
        staff = getattr(actor, "staff", None)
        observation_add(
            actor=actor,
            guest=guest,
            department=getattr(staff, "department", "") or "front_office",
            text=f"{source}：{registration.preferences}",
            touchpoint=source,
        )
    registration.status = RegistrationStatus.CONFIRMED
    registration.guest = guest
    registration.reviewed_by = actor
    registration.reviewed_at = timezone.now()
    registration.save()
    audit(
        actor=actor,
        action=AuditAction.REGISTRATION_CONFIRMED,
        obj=registration,
        guest=guest.pk,
    )
    return guest


def _profile_fields(
    registration: Registration, guest: Guest | None
) -> dict[str, object]:
    """The card's values; on an existing profile only those it lacks."""
    values: dict[str, object] = {
        "full_name": registration.full_name,
        "gender": registration.gender,
        "birth_date": registration.birth_date,
        "employer": registration.company,
        "title": registration.title,
        "email": registration.email,
    }
    if guest is None:
        return {k: v for k, v in values.items() if v not in ("", None)}
    return {
        k: v
        for k, v in values.items()
        if v not in ("", None) and getattr(guest, k) in ("", None)
    }


@transaction.atomic
def registration_reject(*, actor: User, registration: Registration) -> Registration:
    """Set a card aside (a test entry, a duplicate submission); it makes no profile."""
    registration = _pending(registration)
    registration.status = RegistrationStatus.REJECTED
    registration.reviewed_by = actor
    registration.reviewed_at = timezone.now()
    registration.save()
    audit(actor=actor, action=AuditAction.REGISTRATION_REJECTED, obj=registration)
    return registration


@transaction.atomic
def link_create(
    *,
    actor: User,
    property: Property,
    kind: str,
    label: str = "",
    days: int = LINK_DAYS,
) -> RegistrationLink:
    """A public link for guests to fill in a card on their phone, open for ``days``."""
    if kind not in RegistrationKind.values:
        raise CollectionError(_("表格“%(kind)s”无效") % {"kind": kind}, field="kind")
    if not 1 <= days <= 365:
        raise CollectionError(_("应在 1 到 365 之间"), field="days")
    return RegistrationLink.objects.create(
        property=property,
        kind=kind,
        token=secrets.token_urlsafe(32),
        label=label.strip()[:100],
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )


@transaction.atomic
def link_revoke(*, actor: User, link: RegistrationLink) -> RegistrationLink:
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    return link
