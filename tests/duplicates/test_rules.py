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
    assert found["level"] == "certain"
    assert [(r["rule"], r["score"], r["values"]) for r in found["rules"]] == [
        ("same_id", 100, ["110105********0021"]),
        ("same_email", 40, ["l***@example.com"]),
        ("same_phone", 30, ["138****4444"]),
    ]
    assert found["rules"][2]["note"] == (
        "家人或同事常共用一个电话，仅电话相同不足以认定为同一人"
    )
    assert combined_score(matches(a, b)) == 100
