"""The document rules of each sign-out situation, and the two-year job-seeking period."""

from datetime import date

import pytest

from dossier.personnel.rules import (
    Document,
    GraduatePath,
    Requester,
    Situation,
    checklist,
    graduate_path,
    missing,
    requirements,
    situation_refusal,
)

D = Document


@pytest.mark.parametrize(
    ("situation", "expected"),
    [
        (
            Situation(Requester.SELF, GraduatePath.NONE, False),
            [(D.TRANSFER_LETTER,), (D.EMPLOYEE_ID,), (D.EMPLOYEE_ID_COPY,)],
        ),
        (
            Situation(Requester.DELEGATE, GraduatePath.NONE, False),
            [
                (D.TRANSFER_LETTER,),
                (D.ATTORNEY_HANDWRITTEN,),
                (D.ATTORNEY_FINGERPRINT,),
                (D.DELEGATE_ID,),
                (D.EMPLOYEE_ID_COPY,),
                (D.DELEGATE_ID_COPY,),
            ],
        ),
        (
            Situation(Requester.SELF, GraduatePath.NONE, True),
            [
                (D.TRANSFER_LETTER,),
                (D.EMPLOYEE_ID,),
                (D.EMPLOYEE_ID_COPY,),
                (D.PARTY_LETTER,),
                (D.PARTY_LETTER_COPY,),
            ],
        ),
        (
            Situation(Requester.SELF, GraduatePath.WITHIN, True),
            [
                (D.REGISTRATION_CARD, D.TRANSFER_LETTER),
                (D.EMPLOYEE_ID,),
                (D.EMPLOYEE_ID_COPY,),
                (D.SCHOOL_PARTY_LETTER,),
                (D.SCHOOL_PARTY_LETTER_COPY,),
                (D.APPOINTMENT,),
            ],
        ),
        (
            Situation(Requester.SELF, GraduatePath.BEYOND, False),
            [(D.EMPLOYEE_ID,), (D.APPOINTMENT,)],
        ),
    ],
)
def test_each_situation_requires_what_the_procedure_lists(
    situation: Situation, expected: list[tuple[Document, ...]]
) -> None:
    assert [need.documents for need in requirements(situation)] == expected


def test_within_the_period_either_the_registration_card_or_the_letter_will_do() -> None:
    # given
    situation = Situation(Requester.SELF, GraduatePath.WITHIN, False)
    base = {D.EMPLOYEE_ID, D.EMPLOYEE_ID_COPY, D.APPOINTMENT}

    # then
    assert missing(situation, base | {D.REGISTRATION_CARD}) == []
    assert missing(situation, base | {D.TRANSFER_LETTER}) == []
    assert missing(situation, base) == ["报到证或调档函或商调函（原件）"]
    assert checklist(situation)[:2] == [D.REGISTRATION_CARD, D.TRANSFER_LETTER]


def test_missing_names_every_requirement_not_met_in_order() -> None:
    situation = Situation(Requester.DELEGATE, GraduatePath.NONE, False)

    assert missing(situation, {D.TRANSFER_LETTER, D.ATTORNEY_HANDWRITTEN}) == [
        "委托书：委托人已按手印",
        "受托人身份证（原件，当场核对）",
        "本人身份证复印件",
        "受托人身份证复印件",
    ]


def test_a_graduate_beyond_the_period_cannot_send_a_delegate() -> None:
    assert situation_refusal(
        Situation(Requester.DELEGATE, GraduatePath.BEYOND, False)
    ).startswith("超过两年择业期的毕业生须持本人身份证件亲自领取")
    assert (
        situation_refusal(Situation(Requester.DELEGATE, GraduatePath.WITHIN, False))
        == ""
    )


@pytest.mark.parametrize(
    ("graduated_on", "today", "expected"),
    [
        (None, date(2026, 7, 1), GraduatePath.NONE),
        (date(2024, 7, 1), date(2026, 7, 1), GraduatePath.WITHIN),
        (date(2024, 7, 1), date(2026, 7, 2), GraduatePath.BEYOND),
        (date(2024, 2, 29), date(2026, 2, 28), GraduatePath.WITHIN),
        (date(2024, 2, 29), date(2026, 3, 1), GraduatePath.WITHIN),
        (date(2024, 2, 29), date(2026, 3, 2), GraduatePath.BEYOND),
    ],
)
def test_the_job_seeking_period_lasts_two_years_from_graduation(
    graduated_on: date | None, today: date, expected: GraduatePath
) -> None:
    assert graduate_path(graduated_on, today) == expected
