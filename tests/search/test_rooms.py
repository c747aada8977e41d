"""A room among other words (王 812), and the start of a room or card number (T47),
through every door."""

import pytest

from dossier.guests.models import MemberCard
from dossier.search.indexing import guest_reindex
from dossier.search.query import plan_query
from tests.factories import GuestFactory, add_stay

pytestmark = pytest.mark.django_db


@pytest.fixture
def house(prop):
    wangwei = GuestFactory(full_name="王伟")
    add_stay(wangwei, days_ago=1, nights=3, room="0812", status="in_house",
             external_ref="S1")  # fmt: skip
    wangfang = GuestFactory(full_name="王芳")
    add_stay(wangfang, days_ago=30, room="0812", external_ref="S2")
    lilei = GuestFactory(full_name="李雷")
    add_stay(lilei, days_ago=2, nights=4, room="0907", status="in_house",
             external_ref="S3")  # fmt: skip
    tower = GuestFactory(full_name="张三丰")
    add_stay(tower, days_ago=1, nights=2, room="T4701", status="in_house",
             external_ref="S4")  # fmt: skip
    earlier = GuestFactory(full_name="韩梅梅")
    add_stay(earlier, days_ago=40, room="T4702", external_ref="S5")
    member = GuestFactory(full_name="赵六")
    MemberCard.objects.create(guest=member, number="T47-0088")
    guest_reindex([member.pk])
    return {
        "wangwei": wangwei,
        "wangfang": wangfang,
        "lilei": lilei,
        "tower": tower,
        "earlier": earlier,
        "member": member,
    }


@pytest.mark.parametrize(
    ("query", "who"),
    [
        # the 王 in room 812 tonight, however the room is written
        ("王 812", ["wangwei"]),
        ("812 王", ["wangwei"]),
        ("王 0812", ["wangwei"]),
        ("wang 812", ["wangwei"]),
        ("王先生 812", ["wangwei"]),
        # nobody of the name is in the room: the last one of the name who stayed
        ("王芳 812", ["wangfang"]),
        ("李 907", ["lilei"]),
        ("李 812", []),
        ("韩 t4702", ["earlier"]),
    ],
)
def test_a_name_with_a_room_number(door, house, query, who):
    assert door(query) == [house[name].pk for name in who]


@pytest.mark.parametrize(
    ("query", "who"),
    [
        # the start of a card number and of room numbers: the card, the guest in
        # the house in T4701 (not the one who stayed in T4702 long ago)
        ("T47", ["member", "tower"]),
        ("t47", ["member", "tower"]),
        ("Ｔ47", ["member", "tower"]),
        # a whole room: the guest in it, else the last one who stayed
        ("T4701", ["tower"]),
        ("T4702", ["earlier"]),
        ("T470", ["member", "tower"]),  # T47-0088 too
    ],
)
def test_the_start_of_a_card_or_room_number(door, house, query, who):
    assert door(query) == [house[name].pk for name in who]


def test_digits_alone_are_one_room_not_the_start_of_rooms():
    # 812 is room 812 (or 0812), never 8120
    assert plan_query("812").room_prefix is False
    assert plan_query("T47").room_prefix is True
    # a phone's digits among words are no room
    assert plan_query("王 13812341234").room == ""


def test_a_room_found_says_the_room_and_when_a_past_guest_left(why_door, house, prop):
    from datetime import timedelta

    from django.utils import timezone

    # 王芳 stayed in 0812 thirty days ago for two nights; 王伟 is in it tonight
    left = timezone.localdate() - timedelta(days=28)

    assert why_door("王芳 812") == [f"房号 0812 · {left:%Y-%m-%d} 离店"]
    assert why_door("王 812") == ["房号 0812"]
    assert why_door("T4701") == ["房号 T4701"]


def test_the_room_reason_in_english(searcher, house):
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    left = timezone.localdate() - timedelta(days=28)
    searcher.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = searcher.get("/api/v1/guests/lookup", {"q": "王芳 812"})
    why = response.json()["matches"][0]["why"]
    page = searcher.get("/search/", {"q": "王芳 812"}).content.decode()

    assert why["label"] == f"Room 0812, left {left:%Y-%m-%d}"
    assert (why["in_house"], why["stay_departure"]) == (False, f"{left:%Y-%m-%d}")
    assert f"Room 0812, left {left:%Y-%m-%d}</td>" in page
