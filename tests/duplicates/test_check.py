"""A new or imported profile is checked against the others of its property."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from dossier.core.models import Property
from dossier.duplicates.models import CandidateStatus, DuplicateCandidate
from dossier.duplicates.services import (
    candidate_dismiss,
    duplicates_check,
    duplicates_scan,
)
from dossier.guests.models import MemberCard
from dossier.imports.services import import_commit, job_create_from_bytes
from tests.factories import GuestFactory, resident_id
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

BIRTH = date(1985, 3, 14)


def _pairs() -> list[tuple[int, int, int, list[str]]]:
    return [
        (c.guest_a_id, c.guest_b_id, c.score, [r["rule"] for r in c.evidence["rules"]])
        for c in DuplicateCandidate.objects.order_by("pk")
    ]


def test_same_id_number_is_a_certain_candidate() -> None:
    # given
    first = GuestFactory(full_name="李娜", id_numbers=[resident_id()])

    # when
    second = GuestFactory(full_name="李 娜", id_numbers=[resident_id()])

    # then
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.guest_a_id, candidate.guest_b_id) == (first.pk, second.pk)
    assert candidate.score == 100
    assert candidate.status == CandidateStatus.OPEN
    assert candidate.evidence == {
        "level": "certain",
        "rules": [
            {
                "rule": "same_id",
                "label": "证件号码相同",
                "score": 100,
                "values": ["110105********0021"],
                "a": "110105********0021",
                "b": "110105********0021",
                "note": "",
                "fields": ["documents"],
            },
            {
                "rule": "same_name_birth",
                "label": "姓名（繁简统一后）与出生日期相同",
                "score": 70,
                "values": ["李娜", "李 娜", "1985-03-14"],
                "a": "李娜 · 1985-03-14",
                "b": "李 娜 · 1985-03-14",
                "note": "",
                "fields": ["full_name", "birth_date"],
            },
        ],
    }


def test_one_phone_written_two_ways_is_one_candidate() -> None:
    # given
    first = GuestFactory(full_name="张伟", phones=["138-0000-4444"])

    # when the same guest is written again, in traditional script
    second = GuestFactory(full_name="張偉", phones=["+86 13800004444"])

    # then
    assert _pairs() == [(first.pk, second.pk, 90, ["same_name_phone"])]
    rule = DuplicateCandidate.objects.get().evidence["rules"][0]
    assert rule["values"] == ["138****4444"]
    assert (rule["a"], rule["b"]) == ("张伟 · 138****4444", "張偉 · 138****4444")


def test_two_names_on_one_mobile_are_queued_with_the_evidence() -> None:
    # given one mobile on a profile
    first = GuestFactory(full_name="张伟", phones=["138-0000-4444"])

    # when another name is written with it
    second = GuestFactory(full_name="王芳", phones=["13800004444"])

    # then the pair waits for a reviewer, each side's name beside the number
    assert _pairs() == [(first.pk, second.pk, 50, ["shared_mobile"])]
    candidate = DuplicateCandidate.objects.get()
    assert candidate.evidence["level"] == "likely"
    (rule,) = candidate.evidence["rules"]
    assert (rule["a"], rule["b"]) == ("张伟 · 138****4444", "王芳 · 138****4444")
    assert rule["fields"] == ["full_name", "phones"]
    assert "家人共用" in rule["note"]


def test_a_family_on_one_mobile_dismissed_does_not_come_back(
    manager: User, prop: Property
) -> None:
    # given a husband and wife who gave the same mobile, dismissed by a reviewer
    number = resident_id()
    husband = GuestFactory(full_name="张伟", phones=["138-0000-4444"])
    wife = GuestFactory(full_name="王芳", phones=["13800004444"], id_numbers=[number])
    candidate_dismiss(actor=manager, candidate=DuplicateCandidate.objects.get())

    # when they are checked again, the archive scanned, and the wife re-imported
    again = duplicates_check(guest_ids=[husband.pk, wife.pk])
    scan = duplicates_scan(property_id=prop.pk)
    rows = [["姓名", "身份证号", "邮箱"], ["王芳", number, "wf@example.com"]]
    job = job_create_from_bytes(
        actor=None, property=prop, kind="guests", data=csv_bytes(rows), name="g.csv"
    )
    assert import_commit(job=job, actor=None).updated == 1

    # then the pair stays dismissed, and nothing else is queued
    assert (again.created, again.already_reviewed) == (0, 1)
    assert (scan.created, scan.already_reviewed) == (0, 1)
    assert list(DuplicateCandidate.objects.values_list("status", flat=True)) == [
        CandidateStatus.DISMISSED
    ]


def test_a_shared_landline_alone_is_not_a_candidate() -> None:
    # given a company switchboard on one profile
    GuestFactory(full_name="张伟", phones=["010-6512-3456"])

    # when
    result = duplicates_check(
        guest_ids=[GuestFactory(full_name="王芳", phones=["01065123456"]).pk]
    )

    # then the pair was compared, and scored too low to queue
    assert result.pairs_compared == 1
    assert _pairs() == []


@pytest.mark.parametrize(
    ("written", "again"),
    [
        ("VIP-88001", "VIP88001"),
        ("VIP88001", "vip-88001"),
        ("VIP-88001", "ＶＩＰ８８００１"),
        ("vip 88001", "VIP.88001"),
    ],
)
def test_one_card_written_two_ways_is_one_card(
    manager: User, written: str, again: str
) -> None:
    # given two profiles of other names, each with the card as written that day
    first = GuestFactory(full_name="张伟")
    second = GuestFactory(full_name="Wei ZHANG")
    MemberCard.objects.create(guest=first, number=written)
    MemberCard.objects.create(guest=second, number=again)

    # when
    duplicates_check(guest_ids=[second.pk])

    # then the card is the evidence, each side as written
    assert _pairs() == [(first.pk, second.pk, 90, ["same_card"])]
    (rule,) = DuplicateCandidate.objects.get().evidence["rules"]
    assert (rule["a"], rule["b"]) == (written, again)


def test_cards_that_only_share_digits_are_not_one_card() -> None:
    first = GuestFactory(full_name="张伟")
    second = GuestFactory(full_name="王芳")
    MemberCard.objects.create(guest=first, number="VIP-88001")
    MemberCard.objects.create(guest=second, number="SVIP-88001")

    duplicates_check(guest_ids=[second.pk])

    assert _pairs() == []


def test_traditional_and_simplified_name_with_the_same_birthday() -> None:
    # given
    first = GuestFactory(full_name="陳嘉欣", birth_date=BIRTH)

    # when
    second = GuestFactory(full_name="陈嘉欣", birth_date=BIRTH)

    # then
    assert _pairs() == [(first.pk, second.pk, 70, ["same_name_birth"])]


def test_same_name_with_another_birthday_is_no_candidate() -> None:
    # given
    GuestFactory(full_name="陳嘉欣", birth_date=BIRTH)

    # when
    GuestFactory(full_name="陈嘉欣", birth_date=date(1986, 3, 14))

    # then
    assert _pairs() == []


def test_name_one_character_apart_with_the_same_birthday() -> None:
    # given
    first = GuestFactory(full_name="欧阳嘉欣", birth_date=BIRTH)

    # when
    second = GuestFactory(full_name="欧阳嘉怡", birth_date=BIRTH)

    # then
    assert _pairs() == [(first.pk, second.pk, 50, ["name_typo_birth"])]


def test_other_property_is_not_compared(prop: Property) -> None:
    # given
    other = Property.objects.create(code="branch", name="分店")
    GuestFactory(full_name="张伟", phones=["13800004444"], property=other)

    # when
    GuestFactory(full_name="张伟", phones=["13800004444"])

    # then
    assert _pairs() == []


def test_a_dismissed_pair_stays_dismissed(manager: User) -> None:
    # given
    first = GuestFactory(full_name="张伟", phones=["13800004444"])
    second = GuestFactory(full_name="张伟", phones=["13800004444"])
    candidate_dismiss(actor=manager, candidate=DuplicateCandidate.objects.get())

    # when
    result = duplicates_check(guest_ids=[first.pk, second.pk])

    # then
    assert (result.created, result.updated, result.already_reviewed) == (0, 0, 1)
    assert DuplicateCandidate.objects.get().status == CandidateStatus.DISMISSED


def test_an_import_checks_the_guests_it_updates(prop: Property) -> None:
    # given two profiles of one guest that nothing links yet
    number = resident_id()
    first = GuestFactory(full_name="陈嘉欣", id_numbers=[number])
    second = GuestFactory(full_name="陳嘉欣", phones=["13911112222"])
    assert _pairs() == []

    # when a re-import gives the first one the second one's mobile
    rows = [["姓名", "身份证号", "手机"], ["陈嘉欣", number, "13911112222"]]
    job = job_create_from_bytes(
        actor=None, property=prop, kind="guests", data=csv_bytes(rows), name="g.csv"
    )
    report = import_commit(job=job, actor=None)

    # then the guest it updated was checked again
    assert (report.created, report.updated) == (0, 1)
    assert _pairs() == [(first.pk, second.pk, 90, ["same_name_phone"])]


def test_a_reimported_card_written_otherwise_is_the_guests_own(prop: Property) -> None:
    # given a member whose card was written with a dash
    member = GuestFactory(full_name="张伟")
    MemberCard.objects.create(guest=member, number="VIP-88001")

    # when a file gives the card without it, and a phone
    rows = [["姓名", "会员卡号", "手机"], ["张伟", "vip88001", "13911112222"]]
    job = job_create_from_bytes(
        actor=None, property=prop, kind="guests", data=csv_bytes(rows), name="g.csv"
    )
    report = import_commit(job=job, actor=None)

    # then the row is the member, whose card is not added a second time
    assert (report.created, report.updated) == (0, 1)
    assert list(member.cards.values_list("number", flat=True)) == ["VIP-88001"]
    assert list(member.phones.values_list("e164", flat=True)) == ["+8613911112222"]


def test_an_import_checks_the_guests_it_creates(prop: Property) -> None:
    # given
    existing = GuestFactory(full_name="陳嘉欣", birth_date=BIRTH, email="C@Example.com")
    rows = [
        ["姓名", "出生日期", "邮箱", "手机"],
        ["陈嘉欣", "1985-03-14", "c@example.com", "13911112222"],
    ]
    job = job_create_from_bytes(
        actor=None, property=prop, kind="guests", data=csv_bytes(rows), name="g.csv"
    )

    # when
    report = import_commit(job=job, actor=None)

    # then
    assert report.created == 1
    created = DuplicateCandidate.objects.get()
    assert created.guest_a_id == existing.pk
    assert (created.score, [r["rule"] for r in created.evidence["rules"]]) == (
        96,
        ["same_name_email", "same_name_birth"],
    )


@pytest.mark.parametrize(
    "latin", ["WANG Jianguo", "Wang Jianguo", "Jianguo Wang", "WANG JIAN GUO"]
)
def test_a_name_in_characters_and_its_passport_spelling_with_the_same_birthday(
    latin: str,
) -> None:
    # given
    first = GuestFactory(full_name="王建国", birth_date=BIRTH)

    # when
    second = GuestFactory(full_name=latin, birth_date=BIRTH)

    # then
    assert _pairs() == [(first.pk, second.pk, 60, ["same_pinyin_birth"])]


@pytest.mark.parametrize(
    ("chinese", "latin", "birth"),
    [
        ("王建国", "Wang Jian", BIRTH),  # another name
        ("王建国", "WANG Jianguo", date(1986, 3, 14)),  # another birthday
        ("简国王", "王建国", BIRTH),  # both in characters, read otherwise
    ],
)
def test_names_that_only_share_letters_are_no_candidate(
    chinese: str, latin: str, birth: date
) -> None:
    GuestFactory(full_name=chinese, birth_date=BIRTH)

    GuestFactory(full_name=latin, birth_date=birth)

    assert _pairs() == []


def test_a_passport_spelling_and_the_same_phone_are_alike_names() -> None:
    first = GuestFactory(full_name="欧阳娜娜", phones=["13800004444"])

    second = GuestFactory(full_name="Nana OUYANG", phones=["+86 138-0000-4444"])

    assert _pairs() == [(first.pk, second.pk, 75, ["alike_name_phone"])]


def test_an_edit_that_completes_a_profile_checks_it_again(manager: User) -> None:
    from dossier.guests.services import GuestInput, guest_update

    # given a quick profile taken at the desk, and the guest's earlier profile
    first = GuestFactory(full_name="张伟", phones=["13800004444"])
    quick = GuestFactory(full_name="张伟")
    assert _pairs() == []

    # when the clerk completes it with the guest's phone
    guest_update(actor=manager, guest=quick, data=GuestInput(phones=["138-0000-4444"]))

    # then
    assert _pairs() == [(first.pk, quick.pk, 90, ["same_name_phone"])]

    # and an edit of anything else checks nothing again
    DuplicateCandidate.objects.all().delete()
    guest_update(actor=manager, guest=quick, data=GuestInput(fields={"notes": "靠窗"}))
    assert _pairs() == []
