"""The score table: how the evidence adds up, and how the pages show it."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise

from dossier.core.models import Property
from dossier.duplicates.models import DuplicateCandidate
from dossier.duplicates.rules import (
    LABELS,
    NOTES,
    QUEUE_SCORE,
    Facts,
    Rule,
    combined_score,
    evidence,
    evidence_shown,
    matches,
)
from dossier.guests.models import Guest
from tests.duplicates.conftest import Pair

BIRTH = date(1985, 3, 14)
PHONE = "+8613800004444"
OTHER = "+8613911112222"
LANDLINE = "+861065123456"


def facts(pk, name, pinyin="", *, birth=None, phone=None, email="", doc=None):
    return Facts(
        pk,
        name,
        pinyin,
        birth,
        email,
        phones={phone} if phone else set(),
        documents={doc: "110105********0021"} if doc else {},
    )


@pytest.mark.parametrize(
    ("a", "b", "rules", "score", "queued"),
    [
        # the same ID number with names that agree is certain
        (
            facts(1, "陈嘉欣", doc="h"),
            facts(2, "陳嘉欣", doc="h"),
            [Rule.SAME_ID],
            100,
            True,
        ),
        # the same ID number held under another name is a conflict to review
        (
            facts(1, "陈嘉欣", doc="h"),
            facts(2, "王芳", doc="h"),
            [Rule.SAME_ID_CONFLICT],
            50,
            True,
        ),
        # the same name and the same phone: almost certainly one guest
        (
            facts(1, "陈嘉欣", phone=PHONE),
            facts(2, "陳嘉欣", phone=PHONE),
            [Rule.SAME_NAME_PHONE],
            90,
            True,
        ),
        # ... and with the birthday too, certain
        (
            facts(1, "陈嘉欣", birth=BIRTH, phone=PHONE),
            facts(2, "陳嘉欣", birth=BIRTH, phone=PHONE),
            [Rule.SAME_NAME_PHONE, Rule.SAME_NAME_BIRTH],
            97,
            True,
        ),
        # names read alike and a shared phone: a slip of the keyboard
        (
            facts(1, "张伟", "zhang wei", phone=PHONE),
            facts(2, "章伟", "zhang wei", phone=PHONE),
            [Rule.ALIKE_NAME_PHONE],
            75,
            True,
        ),
        # name and birthday: medium
        (
            facts(1, "陈嘉欣", birth=BIRTH, phone=PHONE),
            facts(2, "陈嘉欣", birth=BIRTH, phone=OTHER),
            [Rule.SAME_NAME_BIRTH],
            70,
            True,
        ),
        # the same name and e-mail address
        (
            facts(1, "Élodie Martin", email="em@example.com"),
            facts(2, "ELODIE MARTIN", email="em@example.com"),
            [Rule.SAME_NAME_EMAIL],
            85,
            True,
        ),
        # one mobile under two names: one guest, or a family; queued for a reviewer
        (
            facts(1, "张伟", "zhang wei", phone=PHONE),
            facts(2, "王芳", "wang fang", phone=PHONE),
            [Rule.SHARED_MOBILE],
            50,
            True,
        ),
        # a company or front-desk landline: different names, low, not queued
        (
            facts(1, "张伟", "zhang wei", phone=LANDLINE),
            facts(2, "王芳", "wang fang", phone=LANDLINE),
            [Rule.SAME_PHONE],
            30,
            False,
        ),
        # a shared mailbox, different names: not queued either
        (
            facts(1, "张伟", email="office@example.com"),
            facts(2, "王芳", email="office@example.com"),
            [Rule.SAME_EMAIL],
            40,
            False,
        ),
        # a landline and a mailbox together add up to a pair worth a look
        (
            facts(1, "张伟", phone=LANDLINE, email="office@example.com"),
            facts(2, "王芳", phone=LANDLINE, email="office@example.com"),
            [Rule.SAME_EMAIL, Rule.SAME_PHONE],
            58,
            True,
        ),
    ],
)
def test_the_score_table(a, b, rules, score, queued) -> None:
    found = matches(a, b)

    assert [m.rule for m in found] == rules
    assert combined_score(found) == score
    assert (combined_score(found) >= QUEUE_SCORE) is queued


def test_the_evidence_shows_each_side() -> None:
    a = facts(1, "陈嘉欣", birth=BIRTH, phone=PHONE)
    b = facts(2, "陳嘉欣", birth=BIRTH, phone=PHONE)

    shown = evidence_shown(evidence(matches(a, b)))

    assert [(s.rule, s.score, s.a, s.b) for s in shown] == [
        ("same_name_phone", 90, "陈嘉欣 · 138****4444", "陳嘉欣 · 138****4444"),
        ("same_name_birth", 70, "陈嘉欣 · 1985-03-14", "陳嘉欣 · 1985-03-14"),
    ]


def test_every_label_and_note_is_marked_for_translation() -> None:
    assert set(LABELS) == set(Rule)
    assert all(isinstance(label, Promise) for label in LABELS.values())
    assert all(isinstance(note, Promise) for note in NOTES.values())


def test_labels_follow_the_readers_language_not_the_stored_text(monkeypatch) -> None:
    # given evidence kept in the database, its label written when it was scanned
    kept = {"rules": [{"rule": "same_id", "label": "旧的说法", "score": 100}]}
    monkeypatch.setattr(translation._trans, "gettext", lambda text: f"«{text}»")

    (shown,) = evidence_shown(kept)

    assert shown.label == "«证件号码相同»"


def test_evidence_of_an_unknown_rule_is_shown_as_kept() -> None:
    kept = {"rules": [{"rule": "retired", "label": "旧规则", "values": ["x", "y"]}]}

    (shown,) = evidence_shown(kept)

    assert (shown.label, shown.a, shown.b) == ("旧规则", "x / y", "x / y")


@pytest.mark.django_db
def test_the_comparison_speaks_chinese_in_the_propertys_time(
    pair: Pair, manager: User, prop: Property
) -> None:
    # given a property in Urumqi time and a profile created at 20:30 UTC
    Property.objects.filter(pk=prop.pk).update(time_zone="Asia/Urumqi")
    created = datetime(2026, 1, 1, 20, 30, tzinfo=UTC)
    Guest.objects.filter(pk=pair.duplicate.pk).update(created_at=created)
    candidate = DuplicateCandidate.objects.get()
    client = Client()
    client.force_login(manager)

    # when
    page = client.get(f"/duplicates/{candidate.pk}/").content.decode()

    # then labels are Chinese and the time is Urumqi's (UTC+6)
    for english in ("created at", "updated at", "created by", "name pinyin"):
        assert english not in page
    for label in ("建档时间", "最近修改时间", "建档人", "住店记录", "纪念日"):
        assert f">{label}<" in page
    assert "2026-01-02 02:30" in page
    assert "20:30" not in page


@pytest.mark.django_db
def test_the_queue_and_comparison_show_labels_from_the_rule(
    pair: Pair, manager: User
) -> None:
    # given a candidate whose stored label is out of date
    candidate = DuplicateCandidate.objects.get()
    kept = candidate.evidence
    kept["rules"][0]["label"] = "旧的说法"
    DuplicateCandidate.objects.filter(pk=candidate.pk).update(evidence=kept)
    client = Client()
    client.force_login(manager)

    # when
    queue = client.get("/duplicates/").content.decode()
    compare = client.get(f"/duplicates/{candidate.pk}/").content.decode()

    # then
    assert "旧的说法" not in queue + compare
    assert str(LABELS[Rule(kept["rules"][0]["rule"])]) in queue
    assert "138****4444" in compare
