"""The sign-out case step by step, in every situation, and its refusals."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User

from dossier.core.crypto import unseal
from dossier.core.models import AuditEvent, Property
from dossier.personnel.errors import PersonnelError, PersonnelErrorCode
from dossier.personnel.models import FileStatus, PersonnelFile, SignOut, SignOutState
from dossier.personnel.services import (
    FileInput,
    Handover,
    personnel_file_create,
    personnel_id_reveal,
    receipt_policy_set,
    receipt_record,
    sign_out_cancel,
    sign_out_check,
    sign_out_hand_over,
    sign_out_open,
)
from tests.personnel.conftest import (
    DELEGATE_ID,
    EMPLOYEE_ID,
    CaseMaker,
    FileMaker,
    all_documents,
    details,
)

pytestmark = pytest.mark.django_db


def _handover(sign_out: SignOut, **values: object) -> Handover:
    data: dict[str, object] = {
        "seal_intact": True,
        "seam_stamp_intact": True,
        "acknowledged": True,
        "acknowledged_name": sign_out.requester_name,
    }
    data.update(values)
    return Handover(**data)  # type: ignore[arg-type]


def _actions(sign_out: SignOut) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            object_type="personnel.signout", object_id=str(sign_out.pk)
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


# Files ---------------------------------------------------------------------------


def test_the_id_number_is_sealed_at_rest_and_masked(make_file: FileMaker) -> None:
    file = make_file()

    stored = PersonnelFile.objects.get(pk=file.pk)
    assert EMPLOYEE_ID not in stored.id_number_sealed
    assert unseal(stored.id_number_sealed) == EMPLOYEE_ID
    assert stored.id_number_masked == EMPLOYEE_ID[:6] + "********" + EMPLOYEE_ID[-4:]


def test_revealing_the_id_number_needs_the_permission_and_is_audited(
    make_file: FileMaker, archivist: User, manager: User
) -> None:
    file = make_file()

    assert personnel_id_reveal(actor=archivist, file=file) == EMPLOYEE_ID
    with pytest.raises(PersonnelError) as refused:
        personnel_id_reveal(actor=manager, file=file)

    assert refused.value.code == PersonnelErrorCode.NOT_ALLOWED
    viewed = AuditEvent.objects.filter(action="id_number.viewed")
    assert [(e.actor, e.object_id) for e in viewed] == [(archivist, str(file.pk))]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"id_number": "110105199005061234"}, "id_number", "身份证号："),
        ({"file_number": "RS-001"}, "file_number", "RS-001 已被使用"),
        (
            {"id_number": EMPLOYEE_ID},
            "id_number",
            "该身份证号已有人事档案：RS-001 张伟",
        ),
        (
            {"hired_on": date(2020, 5, 1), "left_on": date(2019, 1, 1)},
            "left_on",
            "离职日期 2019-01-01 早于入职日期 2020-05-01",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_field(
    make_file: FileMaker,
    archivist: User,
    prop: Property,
    values: dict[str, object],
    field: str,
    message: str,
) -> None:
    # given
    make_file()
    data: dict[str, object] = {
        "file_number": "RS-900",
        "employee_name": "王芳",
        "id_number": DELEGATE_ID,
    }
    data.update(values)

    # when
    with pytest.raises(PersonnelError) as refused:
        personnel_file_create(
            actor=archivist,
            property=prop,
            data=FileInput(**data),  # type: ignore[arg-type]
        )

    # then
    assert refused.value.field == field
    assert refused.value.message.startswith(message)
    assert PersonnelFile.objects.count() == 1


# Each situation, start to finish ------------------------------------------------------


def test_the_employee_in_person_signs_out_the_file_and_the_receipt_closes_it(
    archivist: User, make_file: FileMaker, prop: Property
) -> None:
    # given
    file = make_file()
    today = prop.today()

    # when
    sign_out = sign_out_open(actor=archivist, file=file, requester_kind="self")
    sign_out = sign_out_check(
        actor=archivist,
        sign_out=sign_out,
        details=details(sign_out),
        documents={"transfer_letter", "employee_id", "employee_id_copy"},
    )

    # then the register entry is written
    assert sign_out.state == SignOutState.CHECKED
    assert sign_out.register_number == f"{today.year}-0001"
    assert sign_out.documents_seen == [
        "transfer_letter",
        "employee_id",
        "employee_id_copy",
    ]
    assert (sign_out.requester_name, sign_out.destination_unit) == (
        "张伟",
        "上海市静安区人才服务中心",
    )
    assert sign_out.letter_number == "沪静人调〔2026〕118 号"
    assert unseal(sign_out.requester_id_sealed) == EMPLOYEE_ID

    # when handed over
    sign_out = sign_out_hand_over(
        actor=archivist, sign_out=sign_out, handover=_handover(sign_out)
    )

    # then
    assert sign_out.state == SignOutState.HANDED_OVER
    assert sign_out.seal_checked_by == archivist
    assert sign_out.acknowledged_name == "张伟"
    assert sign_out.receipt_due == today + timedelta(days=30)
    assert PersonnelFile.objects.get(pk=file.pk).status == FileStatus.SIGNED_OUT

    # when the receipt comes back
    sign_out = receipt_record(
        actor=archivist, sign_out=sign_out, received_on=today, signed_by="赵敏"
    )

    # then
    assert sign_out.state == SignOutState.CLOSED
    assert PersonnelFile.objects.get(pk=file.pk).status == FileStatus.TRANSFERRED
    assert _actions(sign_out) == [
        "personnel.sign_out_opened",
        "personnel.sign_out_checked",
        "personnel.sign_out_handed_over",
        "personnel.receipt_recorded",
    ]


def test_a_delegate_needs_the_power_of_attorney_and_both_id_copies(
    archivist: User, open_case: CaseMaker
) -> None:
    # given
    sign_out = open_case("delegate")

    # when the attorney is printed without a fingerprint
    with pytest.raises(PersonnelError) as refused:
        sign_out_check(
            actor=archivist,
            sign_out=sign_out,
            details=details(sign_out),
            documents={"transfer_letter", "delegate_id", "employee_id_copy"},
        )

    # then nothing is registered and the missing items are named
    assert refused.value.code == PersonnelErrorCode.DOCUMENTS_MISSING
    assert refused.value.missing == [
        "委托书：委托人姓名为手写，非打印",
        "委托书：委托人已按手印",
        "受托人身份证复印件",
    ]
    assert refused.value.message == (
        "材料不齐，不能提档。缺少：委托书：委托人姓名为手写，非打印；"
        "委托书：委托人已按手印；受托人身份证复印件"
    )
    stored = SignOut.objects.get(pk=sign_out.pk)
    assert (stored.state, stored.register_number, stored.requester_name) == (
        "open",
        "",
        "",
    )
    assert _actions(sign_out) == [
        "personnel.sign_out_opened",
        "personnel.sign_out_refused",
    ]

    # when everything is there
    sign_out = sign_out_check(
        actor=archivist,
        sign_out=sign_out,
        details=details(sign_out),
        documents=all_documents(sign_out),
    )

    # then the delegate is in the register
    assert sign_out.state == SignOutState.CHECKED
    assert sign_out.requester_name == "李娜"
    assert (
        sign_out.requester_id_masked == DELEGATE_ID[:6] + "********" + DELEGATE_ID[-4:]
    )


def test_a_delegate_with_the_employees_own_id_is_refused(
    archivist: User, open_case: CaseMaker
) -> None:
    sign_out = open_case("delegate")

    with pytest.raises(PersonnelError) as refused:
        sign_out_check(
            actor=archivist,
            sign_out=sign_out,
            details=details(sign_out, requester_id_number=EMPLOYEE_ID),
            documents=all_documents(sign_out),
        )

    assert refused.value.code == PersonnelErrorCode.IDENTITY_MISMATCH
    assert refused.value.field == "requester_id_number"


def test_in_person_the_id_must_be_the_employees(
    archivist: User, open_case: CaseMaker
) -> None:
    sign_out = open_case("self")

    with pytest.raises(PersonnelError) as refused:
        sign_out_check(
            actor=archivist,
            sign_out=sign_out,
            details=details(sign_out, requester_id_number=DELEGATE_ID),
            documents=all_documents(sign_out),
        )

    assert refused.value.code == PersonnelErrorCode.IDENTITY_MISMATCH
    assert refused.value.message.startswith(
        "提档人身份证号与档案 RS-001 的身份证号不符"
    )


def test_a_party_transfer_needs_its_own_letter_and_number(
    archivist: User, open_case: CaseMaker
) -> None:
    # given
    sign_out = open_case("self", party_transfer=True)
    base = {"transfer_letter", "employee_id", "employee_id_copy"}

    # when the party letter is not shown
    with pytest.raises(PersonnelError) as refused:
        sign_out_check(
            actor=archivist,
            sign_out=sign_out,
            details=details(sign_out),
            documents=base,
        )
    assert refused.value.missing == [
        "党组织关系介绍信（原件）",
        "党组织关系介绍信复印件",
    ]

    # when its number is left out
    with pytest.raises(PersonnelError) as no_number:
        sign_out_check(
            actor=archivist,
            sign_out=sign_out,
            details=details(sign_out, party_letter_number=""),
            documents=all_documents(sign_out),
        )
    assert no_number.value.field == "party_letter_number"

    # then with both it is registered
    sign_out = sign_out_check(
        actor=archivist,
        sign_out=sign_out,
        details=details(sign_out),
        documents=all_documents(sign_out),
    )
    assert sign_out.party_letter_number == "静组介〔2026〕7 号"
    assert sign_out.documents_seen[-2:] == ["party_letter", "party_letter_copy"]


def test_a_graduate_within_two_years_may_come_with_the_registration_card(
    archivist: User, make_file: FileMaker, prop: Property
) -> None:
    # given
    file = make_file(graduated_on=prop.today() - timedelta(days=400))

    # when the situation is left to the graduation date
    sign_out = sign_out_open(
        actor=archivist, file=file, requester_kind="self", party_transfer=True
    )
    assert sign_out.graduate == "within"

    # then the registration card replaces the letter, the school's party letter the branch's
    with pytest.raises(PersonnelError) as refused:
        sign_out_check(
            actor=archivist,
            sign_out=sign_out,
            details=details(sign_out, letter_number="报字 2024-5566", issuer_kind=""),
            documents={"registration_card", "employee_id", "employee_id_copy"},
        )
    assert refused.value.missing == [
        "学校开具的党组织关系介绍信（原件）",
        "学校开具的党组织关系介绍信复印件",
        "已提前2至3天电话预约",
    ]
    sign_out = sign_out_check(
        actor=archivist,
        sign_out=sign_out,
        details=details(sign_out, letter_number="报字 2024-5566", issuer_kind=""),
        documents={
            "registration_card",
            "employee_id",
            "employee_id_copy",
            "school_party_letter",
            "school_party_letter_copy",
            "appointment",
        },
    )
    assert sign_out.state == SignOutState.CHECKED
    assert sign_out.letter_number == "报字 2024-5566"


def test_a_graduate_beyond_two_years_comes_in_person_with_the_id_only(
    archivist: User, make_file: FileMaker, prop: Property, open_case: CaseMaker
) -> None:
    # given
    file = make_file(graduated_on=prop.today() - timedelta(days=3 * 365))

    # a delegate is refused at once
    with pytest.raises(PersonnelError) as refused:
        sign_out_open(actor=archivist, file=file, requester_kind="delegate")
    assert refused.value.code == PersonnelErrorCode.NOT_ALLOWED
    assert not SignOut.objects.exists()

    # in person, the ID and the appointment suffice, no letter number
    sign_out = sign_out_open(actor=archivist, file=file, requester_kind="self")
    assert sign_out.graduate == "beyond"
    sign_out = sign_out_check(
        actor=archivist,
        sign_out=sign_out,
        details=details(sign_out, letter_number="", issuer_kind="", issuer_name=""),
        documents={"employee_id", "appointment"},
    )
    assert sign_out.documents_seen == ["employee_id", "appointment"]

    # the registration card goes with the file
    with pytest.raises(PersonnelError) as no_card:
        sign_out_hand_over(
            actor=archivist, sign_out=sign_out, handover=_handover(sign_out)
        )
    assert no_card.value.field == "registration_card_handed"
    sign_out = sign_out_hand_over(
        actor=archivist,
        sign_out=sign_out,
        handover=_handover(sign_out, registration_card_handed=True),
    )
    assert sign_out.registration_card_handed is True


@pytest.mark.parametrize(
    ("graduated_days_ago", "claimed", "message"),
    [
        (None, "within", "档案中没有毕业日期，请先在档案中填写毕业日期"),
        (3 * 365, "within", "应按“毕业生，超过两年择业期”办理"),
        (100, "beyond", "应按“毕业生，两年择业期内”办理"),
    ],
)
def test_a_graduate_situation_must_agree_with_the_graduation_date(
    archivist: User,
    make_file: FileMaker,
    prop: Property,
    graduated_days_ago: int | None,
    claimed: str,
    message: str,
) -> None:
    graduated = (
        prop.today() - timedelta(days=graduated_days_ago)
        if graduated_days_ago
        else None
    )
    file = make_file(graduated_on=graduated)

    with pytest.raises(PersonnelError) as refused:
        sign_out_open(
            actor=archivist, file=file, requester_kind="self", graduate=claimed
        )

    assert refused.value.message.endswith(message)
    assert refused.value.field == "graduate"


# Refusals and the register --------------------------------------------------------


def test_a_document_not_asked_for_is_refused(
    archivist: User, open_case: CaseMaker
) -> None:
    sign_out = open_case("self")

    with pytest.raises(PersonnelError) as refused:
        sign_out_check(
            actor=archivist,
            sign_out=sign_out,
            details=details(sign_out),
            documents=all_documents(sign_out) | {"attorney_fingerprint"},
        )

    assert refused.value.message == "这种情形不需要的材料：attorney_fingerprint"


def test_a_transfer_letter_needs_an_authorised_issuer(
    archivist: User, open_case: CaseMaker
) -> None:
    sign_out = open_case("self")

    with pytest.raises(PersonnelError) as refused:
        sign_out_check(
            actor=archivist,
            sign_out=sign_out,
            details=details(sign_out, issuer_kind=""),
            documents=all_documents(sign_out),
        )

    assert refused.value.field == "issuer_kind"


def test_one_open_sign_out_per_file_and_none_once_signed_out(
    archivist: User, make_file: FileMaker, handed_case: CaseMaker
) -> None:
    file = make_file()
    sign_out_open(actor=archivist, file=file, requester_kind="self")

    with pytest.raises(PersonnelError) as twice:
        sign_out_open(actor=archivist, file=file, requester_kind="self")
    gone = handed_case()
    with pytest.raises(PersonnelError) as out:
        sign_out_open(actor=archivist, file=gone.file, requester_kind="self")

    assert twice.value.message == "档案 RS-001 已有未结的提档"
    assert out.value.message == "档案 RS-002 已提档，待回执，不能提档"


def test_register_numbers_run_on_and_a_withdrawn_entry_keeps_its_number(
    archivist: User, checked_case: CaseMaker, prop: Property
) -> None:
    year = prop.today().year
    first = checked_case()
    sign_out_cancel(actor=archivist, sign_out=first, reason="接收单位撤回调档函")
    second = checked_case()

    assert [first.register_number, second.register_number] == [
        f"{year}-0001",
        f"{year}-0002",
    ]
    assert SignOut.objects.get(pk=first.pk).state == SignOutState.CANCELLED


@pytest.mark.parametrize(
    ("values", "code", "message"),
    [
        (
            {"seal_intact": False},
            PersonnelErrorCode.SEAL_BROKEN,
            "档案袋未密封好或有破损：须当场重新密封、加盖骑缝章后再交接",
        ),
        (
            {"seam_stamp_intact": False},
            PersonnelErrorCode.SEAL_BROKEN,
            "骑缝章不完整：须当场重新密封、加盖骑缝章后再交接",
        ),
        (
            {"acknowledged": False},
            PersonnelErrorCode.INVALID_VALUE,
            "须由提档人当场签收：勾选确认并填写签收人姓名",
        ),
        (
            {"acknowledged_name": "王五"},
            PersonnelErrorCode.IDENTITY_MISMATCH,
            "签收人“王五”与登记的提档人“张伟”不一致",
        ),
    ],
)
def test_handover_needs_an_intact_seal_and_the_requesters_acknowledgement(
    archivist: User,
    checked_case: CaseMaker,
    values: dict[str, object],
    code: PersonnelErrorCode,
    message: str,
) -> None:
    sign_out = checked_case()

    with pytest.raises(PersonnelError) as refused:
        sign_out_hand_over(
            actor=archivist, sign_out=sign_out, handover=_handover(sign_out, **values)
        )

    assert (refused.value.code, refused.value.message) == (code, message)
    stored = SignOut.objects.get(pk=sign_out.pk)
    assert (stored.state, stored.file.status) == ("checked", "in_archive")


def test_the_receipt_period_is_configurable(
    archivist: User, prop: Property, handed_case: CaseMaker
) -> None:
    receipt_policy_set(actor=archivist, property=prop, days=15)

    sign_out = handed_case()

    assert sign_out.receipt_due == prop.today() + timedelta(days=15)
    with pytest.raises(PersonnelError) as refused:
        receipt_policy_set(actor=archivist, property=prop, days=0)
    assert refused.value.message == "回执期限须在 1 至 365 天之间，收到 0"


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (1, "晚于今天"),
        (-1, "早于交接日期"),
    ],
)
def test_a_receipt_dated_in_the_future_or_before_handover_is_refused(
    archivist: User, handed_case: CaseMaker, prop: Property, offset: int, message: str
) -> None:
    sign_out = handed_case()

    with pytest.raises(PersonnelError) as refused:
        receipt_record(
            actor=archivist,
            sign_out=sign_out,
            received_on=prop.today() + timedelta(days=offset),
            signed_by="赵敏",
        )

    assert message in refused.value.message
    assert SignOut.objects.get(pk=sign_out.pk).state == SignOutState.HANDED_OVER


def test_a_rehired_employee_gets_a_new_file_once_the_old_one_is_transferred(
    archivist: User, handed_case: CaseMaker, prop: Property
) -> None:
    # given the file of RS-001 handed over, receipt not yet back
    sign_out = handed_case()
    data = FileInput(file_number="RS-200", employee_name="张伟", id_number=EMPLOYEE_ID)
    with pytest.raises(PersonnelError) as refused:
        personnel_file_create(actor=archivist, property=prop, data=data)
    assert refused.value.message == "该身份证号已有人事档案：RS-001 张伟"

    # when the receiving unit confirms
    receipt_record(
        actor=archivist, sign_out=sign_out, received_on=prop.today(), signed_by="赵敏"
    )

    # then the new file is taken in beside the transferred one
    again = personnel_file_create(actor=archivist, property=prop, data=data)
    assert again.status == FileStatus.IN_ARCHIVE
    assert (
        PersonnelFile.objects.filter(id_number_index=again.id_number_index).count() == 2
    )


def test_a_receipt_due_today_is_refused_without_repeating_the_field_name(
    archivist: User, make_file: FileMaker, prop: Property
) -> None:
    today = prop.today()
    sign_out = sign_out_open(actor=archivist, file=make_file(), requester_kind="self")
    sign_out = sign_out_check(
        actor=archivist,
        sign_out=sign_out,
        details=details(sign_out),
        documents={"transfer_letter", "employee_id", "employee_id_copy"},
    )

    with pytest.raises(PersonnelError) as refused:
        sign_out_hand_over(
            actor=archivist,
            sign_out=sign_out,
            handover=_handover(sign_out, receipt_due=today),
        )

    assert (refused.value.field, refused.value.message) == (
        "receipt_due",
        f"{today:%Y-%m-%d} 须晚于今天",
    )
