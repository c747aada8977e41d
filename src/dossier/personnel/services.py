"""Changes to the personnel archive: files, the sign-out case step by step, receipts.

A sign-out (提档) moves through four steps, each one function here:
``sign_out_open`` (the situation) → ``sign_out_check`` (people, destination, letter and
the documents seen; the register entry is written) → ``sign_out_hand_over`` (seal check
and the requester's acknowledgement) → ``receipt_record`` (the receiving unit's receipt
closes the case). ``personnel_receipts_chase`` creates one reminder per overdue case.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.core.audit import AuditAction, audit
from dossier.core.crypto import blind_index, seal, unseal
from dossier.core.models import Property
from dossier.personnel import rules
from dossier.personnel.errors import PersonnelError, PersonnelErrorCode
from dossier.personnel.models import (
    FileStatus,
    GraduateKind,
    IssuerKind,
    PersonnelFile,
    ReceiptReminder,
    RequesterKind,
    SignOut,
    SignOutPolicy,
    SignOutState,
)
from dossier.zh.idnumber import InvalidIdNumber, mask_id_number, parse_id_number

logger = logging.getLogger(__name__)

REVEAL = "personnel.view_full_id_number"
DEFAULT_RECEIPT_DAYS = 30
MAX_RECEIPT_DAYS = 365


def _invalid(message: str, field: str) -> PersonnelError:
    return PersonnelError(PersonnelErrorCode.INVALID_VALUE, message, field=field)


def _id_number(raw: str, *, field: str, label: str) -> str:
    """The canonical resident ID number, or a refusal naming the field."""
    if not raw.strip():
        raise _invalid(_("请填写%(label)s") % {"label": label}, field)
    try:
        return parse_id_number(raw).number
    except InvalidIdNumber as error:
        raise PersonnelError(
            PersonnelErrorCode.INVALID_ID_NUMBER,
            f"{label}：{error.message}",
            field=field,
        ) from None


def id_index(number: str) -> str:
    return blind_index(f"personnel:{number}")


def _text(value: str, *, field: str, label: str, max_length: int) -> str:
    value = value.strip()
    if len(value) > max_length:
        raise _invalid(
            _("%(label)s不能超过 %(max_length)s 个字")
            % {"label": label, "max_length": max_length},
            field,
        )
    return value


# Files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FileInput:
    file_number: str
    employee_name: str
    id_number: str
    department: str = ""
    position: str = ""
    hired_on: date | None = None
    left_on: date | None = None
    graduated_on: date | None = None
    location: str = ""
    box: str = ""
    notes: str = ""


def _file_values(data: FileInput, today: date) -> dict[str, object]:
    file_number = _text(
        data.file_number, field="file_number", label=_("档案编号"), max_length=32
    )
    if not file_number:
        raise _invalid(_("请填写档案编号"), "file_number")
    name = _text(
        data.employee_name, field="employee_name", label=_("姓名"), max_length=100
    )
    if not name:
        raise _invalid(_("请填写姓名"), "employee_name")
    for field, label, value in (
        ("hired_on", _("入职日期"), data.hired_on),
        ("left_on", _("离职日期"), data.left_on),
        ("graduated_on", _("毕业日期"), data.graduated_on),
    ):
        if value is not None and value > today:
            raise _invalid(
                _("%(label)s %(value)s 晚于今天")
                % {"label": label, "value": f"{value:%Y-%m-%d}"},
                field,
            )
    if data.hired_on and data.left_on and data.left_on < data.hired_on:
        raise _invalid(
            _("离职日期 %(left_on)s 早于入职日期 %(hired_on)s")
            % {
                "left_on": f"{data.left_on:%Y-%m-%d}",
                "hired_on": f"{data.hired_on:%Y-%m-%d}",
            },
            "left_on",
        )
    return {
        "file_number": file_number,
        "employee_name": name,
        "department": _text(
            data.department, field="department", label=_("部门"), max_length=100
        ),
        "position": _text(
            data.position, field="position", label=_("岗位"), max_length=100
        ),
        "hired_on": data.hired_on,
        "left_on": data.left_on,
        "graduated_on": data.graduated_on,
        "location": _text(
            data.location, field="location", label=_("存放位置"), max_length=100
        ),
        "box": _text(data.box, field="box", label=_("盒号"), max_length=32),
        "notes": data.notes.strip(),
    }


def personnel_file_create(
    *, actor: User, property: Property, data: FileInput
) -> PersonnelFile:
    """Take a personnel file into the archive; one file per person and per number."""
    values = _file_values(data, property.today())
    number = _id_number(data.id_number, field="id_number", label=_("身份证号"))
    index = id_index(number)

    with transaction.atomic():
        if PersonnelFile.objects.filter(
            property=property, file_number=values["file_number"]
        ).exists():
            raise PersonnelError(
                PersonnelErrorCode.NUMBER_TAKEN,
                _("%(file_number)s 已被使用") % {"file_number": values["file_number"]},
                field="file_number",
            )
        holder = (
            PersonnelFile.objects.filter(property=property, id_number_index=index)
            .exclude(status=FileStatus.TRANSFERRED)
            .first()
        )
        if holder is not None:
            raise PersonnelError(
                PersonnelErrorCode.NUMBER_TAKEN,
                _("该身份证号已有人事档案：%(file_number)s %(employee_name)s")
                % {
                    "file_number": holder.file_number,
                    "employee_name": holder.employee_name,
                },
                field="id_number",
            )
        file = PersonnelFile.objects.create(
            property=property,
            id_number_sealed=seal(number),
            id_number_index=index,
            id_number_masked=mask_id_number(number),
            created_by=actor,
            **values,
        )
        audit(
            actor=actor,
            action=AuditAction.PERSONNEL_FILE_CREATED,
            obj=file,
            file_number=file.file_number,
        )
    return file


def personnel_file_update(
    *, actor: User, file: PersonnelFile, data: FileInput
) -> PersonnelFile:
    """Change what is known of a file; the ID number stays as taken in."""
    values = _file_values(data, file.property.today())
    with transaction.atomic():
        file = PersonnelFile.objects.select_for_update().get(pk=file.pk)
        if (
            PersonnelFile.objects.filter(
                property=file.property, file_number=values["file_number"]
            )
            .exclude(pk=file.pk)
            .exists()
        ):
            raise PersonnelError(
                PersonnelErrorCode.NUMBER_TAKEN,
                _("%(file_number)s 已被使用") % {"file_number": values["file_number"]},
                field="file_number",
            )
        changed = {
            name: [str(getattr(file, name) or ""), str(value or "")]
            for name, value in values.items()
            if getattr(file, name) != value
        }
        for name, value in values.items():
            setattr(file, name, value)
        file.save()
        if changed:
            audit(
                actor=actor,
                action=AuditAction.PERSONNEL_FILE_UPDATED,
                obj=file,
                changed=changed,
            )
    return file


def personnel_id_reveal(*, actor: User, file: PersonnelFile) -> str:
    """The whole ID number, for a user allowed to see it; every reveal is audited."""
    if not actor.has_perm(REVEAL):
        raise PersonnelError(
            PersonnelErrorCode.NOT_ALLOWED, _("没有查看完整身份证号的权限")
        )
    with transaction.atomic():
        number = unseal(file.id_number_sealed)
        audit(
            actor=actor,
            action=AuditAction.ID_NUMBER_VIEWED,
            obj=file,
            field="id_number",
        )
    return number


# Sign-out: the situation -------------------------------------------------------------


def situation_of(sign_out: SignOut) -> rules.Situation:
    return rules.Situation(
        requester=rules.Requester(sign_out.requester_kind),
        graduate=rules.GraduatePath(sign_out.graduate),
        party_transfer=sign_out.party_transfer,
    )


def sign_out_open(
    *,
    actor: User,
    file: PersonnelFile,
    requester_kind: str,
    graduate: str | None = None,
    party_transfer: bool = False,
) -> SignOut:
    """Open a sign-out case for ``file`` in the chosen situation.

    ``graduate`` defaults to what the file's graduation date says; a choice that
    contradicts the date is refused.
    """
    if requester_kind not in RequesterKind.values:
        raise _invalid(
            _("提取方式不正确：%(requester_kind)s")
            % {"requester_kind": requester_kind},
            "requester_kind",
        )
    computed = rules.graduate_path(file.graduated_on, file.property.today())
    if graduate in (None, ""):
        graduate = str(computed)
    if graduate not in GraduateKind.values:
        raise _invalid(
            _("毕业生情形不正确：%(graduate)s") % {"graduate": graduate}, "graduate"
        )
    if graduate != GraduateKind.NONE and file.graduated_on is None:
        raise _invalid(_("档案中没有毕业日期，请先在档案中填写毕业日期"), "graduate")
    if graduate != GraduateKind.NONE and graduate != computed:
        raise _invalid(
            _("毕业日期为 %(graduated_on)s，应按“%(label)s”办理")
            % {
                "graduated_on": f"{file.graduated_on:%Y-%m-%d}",
                "label": GraduateKind(str(computed)).label,
            },
            "graduate",
        )
    situation = rules.Situation(
        rules.Requester(requester_kind), rules.GraduatePath(graduate), party_transfer
    )
    refusal = rules.situation_refusal(situation)
    if refusal:
        raise PersonnelError(
            PersonnelErrorCode.NOT_ALLOWED, refusal, field="requester_kind"
        )

    with transaction.atomic():
        file = PersonnelFile.objects.select_for_update().get(pk=file.pk)
        if file.status != FileStatus.IN_ARCHIVE:
            raise PersonnelError(
                PersonnelErrorCode.WRONG_STATUS,
                _("档案 %(file_number)s %(status)s，不能提档")
                % {
                    "file_number": file.file_number,
                    "status": file.get_status_display(),
                },
            )
        try:
            with transaction.atomic():
                sign_out = SignOut.objects.create(
                    property=file.property,
                    file=file,
                    requester_kind=requester_kind,
                    graduate=graduate,
                    party_transfer=party_transfer,
                    requester_name=(
                        file.employee_name if requester_kind == "self" else ""
                    ),
                    opened_by=actor,
                )
        except IntegrityError:
            raise PersonnelError(
                PersonnelErrorCode.WRONG_STATUS,
                _("档案 %(file_number)s 已有未结的提档")
                % {"file_number": file.file_number},
            ) from None
        audit(
            actor=actor,
            action=AuditAction.SIGN_OUT_OPENED,
            obj=sign_out,
            file=file.pk,
            requester_kind=requester_kind,
            graduate=graduate,
            party_transfer=party_transfer,
        )
    return sign_out


# Sign-out: documents and the register entry ------------------------------------------


@dataclass(frozen=True)
class SignOutDetails:
    """Who came, where the file goes and under which letter."""

    requester_name: str
    requester_id_number: str
    destination_unit: str
    destination_address: str
    requester_phone: str = ""
    letter_number: str = ""
    issuer_kind: str = ""
    issuer_name: str = ""
    party_letter_number: str = ""


def _check_details(
    sign_out: SignOut, details: SignOutDetails, situation: rules.Situation
) -> dict[str, str]:
    delegate = situation.requester == rules.Requester.DELEGATE
    who = _("受托人") if delegate else _("提档人")
    name = _text(
        details.requester_name,
        field="requester_name",
        label=_("%(who)s姓名") % {"who": who},
        max_length=100,
    )
    if not name:
        raise _invalid(_("请填写%(who)s姓名") % {"who": who}, "requester_name")
    number = _id_number(
        details.requester_id_number,
        field="requester_id_number",
        label=_("%(who)s身份证号") % {"who": who},
    )
    same_person = id_index(number) == sign_out.file.id_number_index
    if not delegate and not same_person:
        raise PersonnelError(
            PersonnelErrorCode.IDENTITY_MISMATCH,
            _(
                "提档人身份证号与档案 %(file_number)s 的身份证号不符；他人代取请按“委托他人提取”办理"
            )
            % {"file_number": sign_out.file.file_number},
            field="requester_id_number",
        )
    if delegate and same_person:
        raise PersonnelError(
            PersonnelErrorCode.IDENTITY_MISMATCH,
            _("受托人身份证号与档案本人相同；本人提取请按“本人提取”办理"),
            field="requester_id_number",
        )
    values = {
        "requester_name": name,
        "requester_id_sealed": seal(number),
        "requester_id_masked": mask_id_number(number),
        "requester_phone": _text(
            details.requester_phone,
            field="requester_phone",
            label=_("联系电话"),
            max_length=40,
        ),
    }
    for field, label, limit in (
        ("destination_unit", _("去向单位"), 200),
        ("destination_address", _("去向地址"), 300),
    ):
        value = _text(
            getattr(details, field), field=field, label=label, max_length=limit
        )
        if not value:
            raise _invalid(_("请填写%(label)s") % {"label": label}, field)
        values[field] = value
    letter = _text(
        details.letter_number,
        field="letter_number",
        label=_("函件编号"),
        max_length=100,
    )
    if rules.letter_required(situation) and not letter:
        raise _invalid(_("请填写调档函、商调函或报到证的编号"), "letter_number")
    values["letter_number"] = letter
    if details.issuer_kind and details.issuer_kind not in IssuerKind.values:
        raise _invalid(
            _("出函机构类别不正确：%(issuer_kind)s")
            % {"issuer_kind": details.issuer_kind},
            "issuer_kind",
        )
    values["issuer_kind"] = details.issuer_kind
    values["issuer_name"] = _text(
        details.issuer_name, field="issuer_name", label=_("出函机构"), max_length=200
    )
    party_letter = _text(
        details.party_letter_number,
        field="party_letter_number",
        label=_("党组织关系介绍信编号"),
        max_length=100,
    )
    if situation.party_transfer and not party_letter:
        raise _invalid(_("请填写党组织关系介绍信编号"), "party_letter_number")
    values["party_letter_number"] = party_letter if situation.party_transfer else ""
    return values


def _check_letter_issuer(documents: set[str], values: dict[str, str]) -> None:
    if rules.Document.TRANSFER_LETTER not in documents:
        return
    if not values["issuer_kind"]:
        raise _invalid(_("调档函须由有权机构出具：请选择出函机构类别"), "issuer_kind")
    if not values["issuer_name"]:
        raise _invalid(_("请填写出具调档函的机构名称"), "issuer_name")


def _register_number(prop: Property, year: int) -> tuple[int, str]:
    """The next register number of ``year``; the caller holds the property row lock."""
    last = SignOut.objects.filter(property=prop, register_year=year).aggregate(
        Max("register_seq")
    )["register_seq__max"]
    seq = (last or 0) + 1
    return seq, f"{year}-{seq:04d}"


def sign_out_check(
    *,
    actor: User,
    sign_out: SignOut,
    details: SignOutDetails,
    documents: set[str],
) -> SignOut:
    """Check the documents ticked by the archivist and write the register entry.

    A refusal names every requirement not met and is itself audited; nothing of the
    case changes then.
    """
    situation = situation_of(sign_out)
    allowed = {str(d) for d in rules.checklist(situation)}
    unknown = sorted(documents - allowed)
    if unknown:
        raise _invalid(
            _("这种情形不需要的材料：%(items)s") % {"items": "、".join(unknown)},
            "documents",
        )
    if sign_out.state != SignOutState.OPEN:
        raise PersonnelError(
            PersonnelErrorCode.WRONG_STATUS,
            _("提档%(state)s，不能再核验材料")
            % {"state": sign_out.get_state_display()},
        )
    values = _check_details(sign_out, details, situation)
    _check_letter_issuer(documents, values)
    lacking = rules.missing(situation, documents)
    if lacking:
        with transaction.atomic():
            audit(
                actor=actor,
                action=AuditAction.SIGN_OUT_REFUSED,
                obj=sign_out,
                missing=lacking,
            )
        raise PersonnelError(
            PersonnelErrorCode.DOCUMENTS_MISSING,
            _("材料不齐，不能提档。缺少：%(items)s") % {"items": "；".join(lacking)},
            field="documents",
            missing=lacking,
        )

    with transaction.atomic():
        prop = Property.objects.select_for_update().get(pk=sign_out.property_id)
        sign_out = SignOut.objects.select_for_update().get(pk=sign_out.pk)
        if sign_out.state != SignOutState.OPEN:
            raise PersonnelError(
                PersonnelErrorCode.WRONG_STATUS,
                _("提档%(state)s，不能再核验材料")
                % {"state": sign_out.get_state_display()},
            )
        year = prop.today().year
        seq, number = _register_number(prop, year)
        for name, value in values.items():
            setattr(sign_out, name, value)
        sign_out.documents_seen = [
            str(d) for d in rules.checklist(situation) if d in documents
        ]
        sign_out.register_year = year
        sign_out.register_seq = seq
        sign_out.register_number = number
        sign_out.checked_by = actor
        sign_out.checked_at = timezone.now()
        sign_out.state = SignOutState.CHECKED
        sign_out.save()
        audit(
            actor=actor,
            action=AuditAction.SIGN_OUT_CHECKED,
            obj=sign_out,
            register_number=number,
            documents=sign_out.documents_seen,
            destination=sign_out.destination_unit,
        )
    return sign_out


# Sign-out: handover ---------------------------------------------------------------


def receipt_days(prop: Property) -> int:
    policy = SignOutPolicy.objects.filter(property=prop).first()
    return policy.receipt_days if policy else DEFAULT_RECEIPT_DAYS


@dataclass(frozen=True)
class Handover:
    seal_intact: bool
    seam_stamp_intact: bool
    acknowledged: bool
    acknowledged_name: str
    registration_card_handed: bool = False
    receipt_due: date | None = None


def sign_out_hand_over(
    *, actor: User, sign_out: SignOut, handover: Handover
) -> SignOut:
    """Hand the sealed file to the requester, who acknowledges it by name."""
    if sign_out.state != SignOutState.CHECKED:
        raise PersonnelError(
            PersonnelErrorCode.WRONG_STATUS,
            _("提档%(state)s，不能交接") % {"state": sign_out.get_state_display()},
        )
    if not handover.seal_intact or not handover.seam_stamp_intact:
        broken = [
            label
            for ok, label in (
                (handover.seal_intact, _("档案袋未密封好或有破损")),
                (handover.seam_stamp_intact, _("骑缝章不完整")),
            )
            if not ok
        ]
        raise PersonnelError(
            PersonnelErrorCode.SEAL_BROKEN,
            _("%(items)s：须当场重新密封、加盖骑缝章后再交接")
            % {"items": "，".join(broken)},
            field="seal_intact" if not handover.seal_intact else "seam_stamp_intact",
        )
    if rules.registration_card_with_file(situation_of(sign_out)) and (
        not handover.registration_card_handed
    ):
        raise _invalid(
            _("超过择业期的毕业生须随档案领取报到证：请确认报到证已交付"),
            "registration_card_handed",
        )
    name = handover.acknowledged_name.strip()
    if not handover.acknowledged or not name:
        raise _invalid(
            _("须由提档人当场签收：勾选确认并填写签收人姓名"), "acknowledged"
        )
    if name != sign_out.requester_name:
        raise PersonnelError(
            PersonnelErrorCode.IDENTITY_MISMATCH,
            _("签收人“%(name)s”与登记的提档人“%(requester_name)s”不一致")
            % {"name": name, "requester_name": sign_out.requester_name},
            field="acknowledged_name",
        )
    today = sign_out.property.today()
    due = handover.receipt_due or today + timedelta(
        days=receipt_days(sign_out.property)
    )
    if due <= today:
        raise _invalid(
            _("%(due)s 须晚于今天") % {"due": f"{due:%Y-%m-%d}"},
            "receipt_due",
        )

    with transaction.atomic():
        sign_out = SignOut.objects.select_for_update().get(pk=sign_out.pk)
        if sign_out.state != SignOutState.CHECKED:
            raise PersonnelError(
                PersonnelErrorCode.WRONG_STATUS,
                _("提档%(state)s，不能交接") % {"state": sign_out.get_state_display()},
            )
        now = timezone.now()
        sign_out.seal_intact = True
        sign_out.seam_stamp_intact = True
        sign_out.registration_card_handed = handover.registration_card_handed
        sign_out.seal_checked_by = actor
        sign_out.seal_checked_at = now
        sign_out.acknowledged_name = name
        sign_out.acknowledged_at = now
        sign_out.handed_over_on = today
        sign_out.receipt_due = due
        sign_out.state = SignOutState.HANDED_OVER
        sign_out.save()
        PersonnelFile.objects.filter(pk=sign_out.file_id).update(
            status=FileStatus.SIGNED_OUT
        )
        audit(
            actor=actor,
            action=AuditAction.SIGN_OUT_HANDED_OVER,
            obj=sign_out,
            acknowledged_name=name,
            receipt_due=str(due),
        )
    return sign_out


def sign_out_cancel(*, actor: User, sign_out: SignOut, reason: str) -> SignOut:
    """Withdraw a case before handover; a register entry stays, marked withdrawn."""
    reason = _text(reason, field="reason", label=_("撤销原因"), max_length=200)
    if not reason:
        raise _invalid(_("请填写撤销原因"), "reason")
    with transaction.atomic():
        sign_out = SignOut.objects.select_for_update().get(pk=sign_out.pk)
        if sign_out.state not in (SignOutState.OPEN, SignOutState.CHECKED):
            raise PersonnelError(
                PersonnelErrorCode.WRONG_STATUS,
                _("提档%(state)s，不能撤销") % {"state": sign_out.get_state_display()},
            )
        sign_out.state = SignOutState.CANCELLED
        sign_out.cancel_reason = reason
        sign_out.save(update_fields=["state", "cancel_reason"])
        audit(
            actor=actor,
            action=AuditAction.SIGN_OUT_CANCELLED,
            obj=sign_out,
            reason=reason,
        )
    return sign_out


# Receipts ------------------------------------------------------------------------


def receipt_record(
    *,
    actor: User,
    sign_out: SignOut,
    received_on: date,
    signed_by: str,
    note: str = "",
) -> SignOut:
    """The receiving unit confirmed: the file is transferred and the case closed."""
    signed_by = _text(
        signed_by, field="signed_by", label=_("接收单位经办人"), max_length=100
    )
    if not signed_by:
        raise _invalid(_("请填写接收单位经办人"), "signed_by")
    today = sign_out.property.today()
    if received_on > today:
        raise _invalid(
            _("%(received_on)s 晚于今天") % {"received_on": f"{received_on:%Y-%m-%d}"},
            "received_on",
        )

    with transaction.atomic():
        sign_out = SignOut.objects.select_for_update().get(pk=sign_out.pk)
        if sign_out.state != SignOutState.HANDED_OVER:
            raise PersonnelError(
                PersonnelErrorCode.WRONG_STATUS,
                _("提档%(state)s，不能登记回执")
                % {"state": sign_out.get_state_display()},
            )
        assert sign_out.handed_over_on is not None
        if received_on < sign_out.handed_over_on:
            raise _invalid(
                _("%(received_on)s 早于交接日期 %(handed_over_on)s")
                % {
                    "received_on": f"{received_on:%Y-%m-%d}",
                    "handed_over_on": f"{sign_out.handed_over_on:%Y-%m-%d}",
                },
                "received_on",
            )
        sign_out.receipt_received_on = received_on
        sign_out.receipt_signed_by = signed_by
        sign_out.receipt_note = note.strip()
        sign_out.receipt_recorded_by = actor
        sign_out.state = SignOutState.CLOSED
        sign_out.save()
        PersonnelFile.objects.filter(pk=sign_out.file_id).update(
            status=FileStatus.TRANSFERRED
        )
        ReceiptReminder.objects.filter(sign_out=sign_out, done_at__isnull=True).update(
            done_at=timezone.now()
        )
        audit(
            actor=actor,
            action=AuditAction.RECEIPT_RECORDED,
            obj=sign_out,
            received_on=str(received_on),
            signed_by=signed_by,
        )
    return sign_out


def receipt_policy_set(*, actor: User, property: Property, days: int) -> SignOutPolicy:
    """How many days after handover the receipt is due, for new handovers."""
    if not 1 <= days <= MAX_RECEIPT_DAYS:
        raise _invalid(
            _("回执期限须在 1 至 %(max_receipt_days)s 天之间，收到 %(days)s")
            % {"max_receipt_days": MAX_RECEIPT_DAYS, "days": days},
            "receipt_days",
        )
    with transaction.atomic():
        policy, _x = SignOutPolicy.objects.select_for_update().get_or_create(
            property=property
        )
        before = policy.receipt_days
        policy.receipt_days = days
        policy.save()
        audit(
            actor=actor,
            action=AuditAction.RECEIPT_POLICY_CHANGED,
            obj=policy,
            before=before,
            after=days,
        )
    return policy


def personnel_receipts_chase(*, on: date, prop: Property | None = None) -> int:
    """Create one reminder for each case whose receipt is overdue on ``on``.

    ``prop`` keeps to the cases of one property.

    Safe to run twice or on two workers: a case that already has a reminder gets none,
    and the one-to-one constraint settles a race. Returns how many were created.
    """
    started = timezone.now()
    overdue = SignOut.objects.filter(
        state=SignOutState.HANDED_OVER, receipt_due__lt=on, reminder__isnull=True
    ).order_by("receipt_due", "pk")
    if prop is not None:
        overdue = overdue.filter(property=prop)
    created = 0
    for sign_out in overdue.iterator(chunk_size=200):
        assert sign_out.receipt_due is not None
        days = (on - sign_out.receipt_due).days
        try:
            with transaction.atomic():
                ReceiptReminder.objects.create(
                    sign_out=sign_out, created_on=on, days_overdue=days
                )
                audit(
                    actor=None,
                    action=AuditAction.RECEIPT_CHASED,
                    obj=sign_out,
                    on=str(on),
                    days_overdue=days,
                )
        except IntegrityError:
            continue
        created += 1
    logger.info(
        "personnel receipts chased on %s: %s reminders in %.2fs",
        on,
        created,
        (timezone.now() - started).total_seconds(),
        extra={"on": str(on), "reminders": created},
    )
    return created
