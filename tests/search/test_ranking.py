"""Ranking: exact, prefix, word, fuzzy; ties by last visit then name; bounded work."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossier.search.selectors import Rank, guest_lookup
from tests.factories import GuestFactory, add_bill, add_stay

pytestmark = pytest.mark.django_db


def hits(prop, query):
    return [
        (h.guest_id, h.rank, h.reason, h.matched)
        for h in guest_lookup(property_id=prop.pk, query=query)
    ]


def test_exact_then_prefix_then_fuzzy(prop):
    exact = GuestFactory(full_name="张伟")
    prefix = GuestFactory(full_name="张伟国")
    fuzzy = GuestFactory(full_name="詹伟")  # zhan wei: zhang with an/ang merged

    assert hits(prop, "zhangwei") == [
        (exact.pk, Rank.EXACT, "pinyin", "zhangwei"),
        (prefix.pk, Rank.PREFIX, "pinyin", "zhangweiguo"),
        (fuzzy.pk, Rank.FUZZY, "fuzzy_pinyin", "zhanwei"),
    ]


def test_two_swapped_letters_of_initials_are_one_edit(prop):
    guest = GuestFactory(full_name="黄乐怡")

    assert hits(prop, "lhy") == [(guest.pk, Rank.FUZZY, "fuzzy_initials", "hly")]


def test_ties_go_to_the_most_recent_visit_then_the_name(prop):
    # given three guests called 王芳: one stayed long ago, one dined last week
    never = GuestFactory(full_name="王芳")
    stayed = GuestFactory(full_name="王芳")
    dined = GuestFactory(full_name="王芳")
    add_stay(stayed, days_ago=200, external_ref="S1")
    add_bill(
        dined,
        "B1",
        [("龙井虾仁", "88.00", "")],
        opened_at=timezone.now() - timedelta(days=7),
    )

    found = guest_lookup(property_id=prop.pk, query="王芳")

    assert [h.guest_id for h in found] == [dined.pk, stayed.pk, never.pk]
    assert found[0].last_visit == timezone.localdate() - timedelta(days=7)
    assert found[2].last_visit is None


def test_a_word_inside_a_company_ranks_after_a_prefix(prop):
    from dossier.guests.models import Company
    from dossier.guests.services import GuestInput, guest_update

    inside = GuestFactory(full_name="李一")
    starts = GuestFactory(full_name="李二")
    for guest, name in ((inside, "ＡＢＣ贸易有限公司"), (starts, "贸易集团")):
        company = Company.objects.create(property=prop, name=name)
        guest_update(
            actor=None, guest=guest, data=GuestInput(fields={"company": company})
        )

    assert hits(prop, "贸易") == [
        (starts.pk, Rank.PREFIX, "company", "贸易集团"),
        (inside.pk, Rank.WORD, "company", "贸易有限公司"),
    ]


def test_a_wide_prefix_reads_a_bounded_candidate_set(prop):
    # given more guests under one initial than a look-up reads
    given = "伟芳娜英敏静丽强磊"
    for n in range(81):
        GuestFactory(full_name=f"张{given[n % 9]}{given[n // 9]}")

    found = guest_lookup(property_id=prop.pk, query="z", limit=10)

    assert len(found) == 10
    assert all(h.rank in (Rank.EXACT, Rank.PREFIX) for h in found)


@pytest.mark.parametrize(
    "query", ["13800004444", "4444", "ouyang", "欧阳娜娜", "靠窗", "0812"]
)
def test_a_look_up_costs_two_queries(prop, query):
    guest = GuestFactory(full_name="欧阳娜娜", phones=["13800004444"], notes="靠窗")
    add_stay(guest, days_ago=3, room="0812", external_ref="S1")

    with CaptureQueriesContext(connection) as queries:
        found = guest_lookup(property_id=prop.pk, query=query)

    assert [h.guest_id for h in found] == [guest.pk]
    assert len(queries.captured_queries) == 2


def test_a_mobile_look_up_is_two_statements_and_reads_no_stays(prop):
    # given a guest with a stay, found by mobile
    guest = GuestFactory(full_name="王伟", phones=["13800004444"])
    add_stay(guest, days_ago=3, external_ref="S-mobile")

    with CaptureQueriesContext(connection) as queries:
        found = guest_lookup(property_id=prop.pk, query="13800004444")

    keys, recency = (q["sql"] for q in queries.captured_queries)
    assert [h.guest_id for h in found] == [guest.pk]
    assert "history_stay" not in keys  # eleven digits are no room number
    assert "history_stay" in recency
    assert found[0].last_visit == timezone.localdate() - timedelta(days=3)


def test_a_rare_reading_ranks_after_the_usual_ones(prop):
    # given 董王氏, whose 王 and 氏 may, rarely, read yu and jing, seen yesterday,
    # and 于静, never seen
    rare = GuestFactory(full_name="董王氏")
    add_stay(rare, days_ago=1, external_ref="S-rare")
    usual = GuestFactory(full_name="于静")

    found = guest_lookup(property_id=prop.pk, query="yujing")

    assert [(h.guest_id, h.rank) for h in found] == [
        (usual.pk, Rank.EXACT),
        (rare.pk, Rank.EXACT),
    ]


def test_a_run_of_words_matched_whole_ranks_before_words_matched_apart(prop):
    # given 严艳 (yan yan), and 李燕, seen yesterday, whose 燕 alone reads yan
    yanyan = GuestFactory(full_name="严艳")
    apart = GuestFactory(full_name="李燕")
    add_stay(apart, days_ago=1, external_ref="S-apart")

    found = guest_lookup(property_id=prop.pk, query="yan yan")

    assert [(h.guest_id, h.rank) for h in found] == [
        (yanyan.pk, Rank.EXACT),
        (apart.pk, Rank.WORD),
    ]
