"""The rules on plain facts: which match, their scores and the evidence, masked."""

from datetime import date

import pytest

from dossier.duplicates.rules import (
    Facts,
    Rule,
    combined_score,
    evidence,
    matches,
    one_edit_apart,
)
from dossier.guests.models import card_key

BIRTH = date(1985, 3, 14)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("王伟芳", "王伟娜", True),
        ("王伟芳", "王芳", True),
        ("王伟芳", "王伟芳", False),
        ("王伟芳", "伟王芳", False),
        ("王伟芳", "李伟娜", False),
        ("abc", "abcd", True),
    ],
)
def test_one_edit_apart(a: str, b: str, expected: bool) -> None:
    assert one_edit_apart(a, b) is expected


def test_name_rules_need_the_same_birthday() -> None:
    # given
    a = Facts(1, "陳嘉欣", "chen jia xin", BIRTH)
    b = Facts(2, "陈嘉欣", "chen jia xin", BIRTH)
    c = Facts(3, "陈嘉欣", "chen jia xin", date(1985, 3, 15))

    # when / then
    assert [m.rule for m in matches(a, b)] == [Rule.SAME_NAME_BIRTH]
    assert matches(a, c) == []


def test_pinyin_and_typo_rules() -> None:
    # given
    zhang = Facts(1, "张伟明", "zhang wei ming", BIRTH)
    zhang_homophone = Facts(2, "章伟明", "zhang wei ming", BIRTH)
    zhang_typo = Facts(3, "张伟铭", "zhang wei ming", BIRTH)
    zhang_other = Facts(4, "张伟华", "zhang wei hua", BIRTH)
    short = Facts(5, "张伟", "zhang wei", BIRTH)

    # when / then
    assert [m.rule for m in matches(zhang, zhang_homophone)] == [Rule.SAME_PINYIN_BIRTH]
    assert [m.rule for m in matches(zhang, zhang_typo)] == [Rule.SAME_PINYIN_BIRTH]
    assert [m.rule for m in matches(zhang, zhang_other)] == [Rule.NAME_TYPO_BIRTH]
    assert matches(zhang, short) == []


def test_scores_combine_as_independent_signs() -> None:
    # given
    a = Facts(1, "陈嘉欣", "chen jia xin", BIRTH, phones={"+8613800004444"})
    b = Facts(2, "陳嘉欣", "chen jia xin", BIRTH, phones={"+8613800004444"})

    # when
    found = matches(a, b)

    # then
    assert [m.rule for m in found] == [Rule.SAME_NAME_PHONE, Rule.SAME_NAME_BIRTH]
    assert combined_score(found) == 97
    assert evidence(found)["level"] == "certain"


def test_evidence_masks_phone_id_and_email() -> None:
    # given
    a = Facts(
        1,
        "李娜",
        email="lina@example.com",
        phones={"+8613800004444"},
        documents={"hash-1": "110105********0021"},
    )
    b = Facts(
        2,
        "李娜娜",
        email="lina@example.com",
        phones={"+8613800004444"},
        documents={"hash-1": "110105********0021"},
    )

    # when
    found = evidence(matches(a, b))

    # then
    assert found["level"] == "conflict"
    assert [(r["rule"], r["score"], r["values"]) for r in found["rules"]] == [
        ("same_id_conflict", 50, ["110105********0021"]),
        ("shared_mobile", 50, ["138****4444"]),
        ("same_email", 40, ["l***@example.com"]),
    ]
    assert found["rules"][1]["note"] == (
        "可能是同一人换了姓名写法，也可能是家人共用一个手机；"
        "若不是同一人，请选“不是同一人”，以后不再提示"
    )
    assert combined_score(matches(a, b)) == 85


PASSPORT = {"hash-p": "87*****29"}


@pytest.mark.parametrize(
    ("a", "b", "rule", "level"),
    [
        # two people who were given one passport number
        (
            Facts(1, "Aoife Kelly", birth=date(1967, 9, 27), documents=PASSPORT),
            Facts(2, "Orla O'Brien", birth=date(1980, 7, 4), documents=PASSPORT),
            Rule.SAME_ID_CONFLICT,
            "conflict",
        ),
        # the same name, another birthday: a number typed wrong
        (
            Facts(1, "Aoife Kelly", birth=date(1967, 9, 27), documents=PASSPORT),
            Facts(2, "AOIFE KELLY", birth=date(1976, 9, 27), documents=PASSPORT),
            Rule.SAME_ID_CONFLICT,
            "conflict",
        ),
        # one name in characters and as on the passport, one birthday unknown
        (
            Facts(1, "王建国", "wang jian guo", BIRTH, documents=PASSPORT),
            Facts(2, "WANG Jianguo", documents=PASSPORT),
            Rule.SAME_ID,
            "certain",
        ),
        # a typo in the name, the same birthday
        (
            Facts(1, "Aoife Kelly", birth=BIRTH, documents=PASSPORT),
            Facts(2, "Aoife Kely", birth=BIRTH, documents=PASSPORT),
            Rule.SAME_ID,
            "certain",
        ),
    ],
)
def test_one_document_held_by_profiles_that_disagree_is_a_conflict(
    a: Facts, b: Facts, rule: Rule, level: str
) -> None:
    # when the rules compare two profiles holding one document
    found = matches(a, b)

    # then names not even read alike, or other birthdays, make it a conflict
    assert found[0].rule == rule
    assert evidence(found)["level"] == level


def test_a_conflict_shows_what_each_holder_says() -> None:
    # given two profiles given one passport number, nothing else alike
    a = Facts(
        1,
        "Aoife Kelly",
        birth=date(1967, 9, 27),
        email="aoife.kelly9@example.org",
        phones={"+353851490019"},
        documents=PASSPORT,
    )
    b = Facts(
        2,
        "Orla O'Brien",
        birth=date(1980, 7, 4),
        email="orla.obrien10@example.org",
        documents=PASSPORT,
    )

    # when
    found = matches(a, b)

    # then the pair scores 50, a conflict showing both names and birthdays
    assert combined_score(found) == 50
    assert evidence(found) == {
        "level": "conflict",
        "rules": [
            {
                "rule": "same_id_conflict",
                "label": "证件号码相同，但姓名或出生日期不符",
                "score": 50,
                "values": ["87*****29"],
                "a": "Aoife Kelly · 1967-09-27 · 87*****29",
                "b": "Orla O'Brien · 1980-07-04 · 87*****29",
                "note": (
                    "可能是证件号码录错或使用了他人证件；请核对证件原件，确认后才能合并"
                ),
                "fields": ["documents", "full_name", "birth_date"],
            }
        ],
    }


@pytest.mark.parametrize(
    "written", ["VIP-88001", "VIP88001", "vip 88001", "ＶＩＰ－８８００１", "Vip.88001"]
)
def test_a_card_number_is_compared_without_marks_width_or_case(written: str) -> None:
    assert card_key(written) == "vip88001"


def test_a_card_key_keeps_what_tells_cards_apart() -> None:
    assert card_key("SVIP-88001") != card_key("VIP-88001")
    assert card_key("VIP-88001") != card_key("VIP-88010")
