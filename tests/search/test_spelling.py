"""How staff type what pinyin has no key for (ü), and queries too long to use whole."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossier.search.query import MAX_NOTE_WORDS, MAX_WORDS, plan_query
from dossier.search.selectors import Rank, guest_lookup, hit_why
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


def ids(prop, query):
    return [h.guest_id for h in guest_lookup(property_id=prop.pk, query=query)]


@pytest.fixture
def lv(prop):
    return {
        "lv": GuestFactory(full_name="吕律"),
        "lu": GuestFactory(full_name="卢伟"),
        "nv": GuestFactory(full_name="张女"),
    }


@pytest.mark.parametrize(
    "query", ["lv", "lü", "LÜ", "lǚ", "lu:", "Lyu", "lvlv", "lülü"]
)
def test_u_umlaut_typed_every_way_finds_lv(prop, lv, query):
    assert ids(prop, query) == [lv["lv"].pk]


def test_u_umlaut_through_every_door(door, lv):
    assert door("lü") == [lv["lv"].pk]


def test_u_umlaut_inside_a_name(prop, lv):
    assert ids(prop, "zhangnü") == [lv["nv"].pk]
    assert ids(prop, "zhangnv") == [lv["nv"].pk]


def test_lu_is_lu_and_only_near_lv(prop, lv):
    # 卢 reads lu; 吕 (lv) is a near sound, found only as such
    found = guest_lookup(property_id=prop.pk, query="lulv")

    assert [(h.guest_id, h.rank, h.reason) for h in found] == [
        (lv["lv"].pk, Rank.FUZZY, "fuzzy_pinyin")
    ]
    assert ids(prop, "luwei") == [lv["lu"].pk]


def test_an_umlaut_in_a_latin_name_is_still_folded(prop):
    muller = GuestFactory(full_name="Jürgen MÜLLER")

    assert ids(prop, "müller") == [muller.pk]
    assert ids(prop, "muller") == [muller.pk]


def test_a_preference_with_a_colon_is_not_read_as_u_umlaut(prop):
    plan = plan_query("枕头: 低")

    assert [want.reason for want in plan.wants] == ["preference"]


def _largest_statement(prop, query):
    with CaptureQueriesContext(connection) as queries:
        found = guest_lookup(property_id=prop.pk, query=query)
    return found, max(len(q["sql"]) for q in queries.captured_queries)


def test_a_hundred_words_search_the_first_few_and_say_so(prop):
    # given a guest found by his name and company
    wang = GuestFactory(full_name="王伟", employer="华为技术有限公司")
    words = ["王伟", "华为"] + [f"x{i}" for i in range(98)]
    query = " ".join(words)[:200]

    plan = plan_query(query)
    found, largest = _largest_statement(prop, " ".join(words[:2]))
    capped, capped_largest = _largest_statement(prop, query)

    assert len(query.split()) > MAX_WORDS
    assert plan.dropped == len(query.split()) - MAX_WORDS
    assert plan.notice == (
        f"检索内容有 {len(query.split())} 个词，只按前 {MAX_WORDS} 个词检索"
    )
    assert [h.guest_id for h in found] == [wang.pk]
    assert capped == []  # x2…x5 are words no guest has
    assert capped_largest < 3 * largest


def test_a_long_chinese_run_uses_its_first_words(prop):
    # given a note and a query of 200 characters that starts with it
    guest = GuestFactory(full_name="李娜", notes="不吃香菜喜欢安静的房间")
    query = ("不吃香菜喜欢安静" + "的" * 192)[:200]

    plan = plan_query(query)
    found, largest = _largest_statement(prop, query)

    assert plan.notice == f"检索内容较长，只按前 {MAX_NOTE_WORDS + 1} 个字检索"
    assert [h.guest_id for h in found] == [guest.pk]
    assert largest < 8000


def test_a_short_query_has_no_notice(prop):
    assert plan_query("王伟 华为").notice == ""


def test_the_page_and_the_api_say_what_was_left_out(manager, prop):
    from django.test import Client

    GuestFactory(full_name="王伟")
    client = Client()
    client.force_login(manager)
    query = " ".join(["王伟"] + [f"w{i}" for i in range(20)])

    page = client.get("/search/", {"q": query}).content.decode()
    api = client.get("/api/v1/search", {"q": query}).json()

    notice = f"检索内容有 21 个词，只按前 {MAX_WORDS} 个词检索"
    assert notice in page
    assert api["notice"] == notice


def test_why_shows_the_customary_reading(prop):
    # given 王小区, whose 区 reads qu and, rarely, ou (key p:wangxiaoou sorts first)
    guest = GuestFactory(full_name="王小区")

    (pinyin,) = guest_lookup(property_id=prop.pk, query="wangxiao")
    (initials,) = guest_lookup(property_id=prop.pk, query="wx")

    assert pinyin.guest_id == initials.guest_id == guest.pk
    assert hit_why(pinyin)["matched"] == "wangxiaoqu"
    assert hit_why(initials)["matched"] == "wxq"


def test_why_shows_the_rare_reading_when_that_is_what_matched(prop):
    guest = GuestFactory(full_name="王小区")

    (hit,) = guest_lookup(property_id=prop.pk, query="wangxiaoo")

    assert (hit.guest_id, hit_why(hit)["matched"]) == (guest.pk, "wangxiaoou")


def test_every_look_up_door_says_what_was_left_out(manager, prop):
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client

    wang = GuestFactory(full_name="王伟")
    client = Client()
    client.force_login(manager)
    query = " ".join(["王伟"] + [f"w{i}" for i in range(20)])
    notice = f"检索内容有 21 个词，只按前 {MAX_WORDS} 个词检索"

    page = client.get("/lookup/", {"q": query}).content.decode()
    box = client.get("/lookup/", {"q": query}, headers={"HX-Request": "true"})
    api = client.get("/api/v1/guests/lookup", {"q": query}).json()
    out = StringIO()
    call_command("lookup", query, "--json", stdout=out)

    assert notice in page
    assert notice in box.content.decode()
    assert (api["notice"], [m["id"] for m in api["matches"]]) == (notice, [])
    assert json.loads(out.getvalue())["notice"] == notice
    assert wang.pk not in [m["id"] for m in api["matches"]]  # w0…w4 match nobody


def test_an_over_long_look_up_is_a_clear_error_at_every_door(manager, prop):
    from django.core.management import CommandError, call_command
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(manager)
    query = "陈" * 300

    page = client.get("/lookup/", {"q": query})
    api = client.get("/api/v1/guests/lookup", {"q": query})

    assert page.status_code == 200
    assert "检索内容最多 200 个字符" in page.content.decode()
    assert (api.status_code, api.json()["field"]) == (422, "q")
    with pytest.raises(CommandError, match="检索内容最多 200 个字符"):
        call_command("lookup", query)
