"""G8 through every door: each case holds for the selector, page, API and CLI alike."""

import pytest

from dossier.guests.models import (
    Company,
    GuestPreference,
    MemberCard,
    PreferenceItem,
    Tag,
)
from dossier.guests.services import GuestInput, guest_update, preference_set
from dossier.search.indexing import guest_reindex
from tests.factories import GuestFactory, add_stay, resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def polyphonic(prop):
    return {
        "sheng": GuestFactory(full_name="欧阳晟"),
        "leyi": GuestFactory(full_name="黄乐怡"),
    }


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("oys", "sheng"),
        ("oyc", "sheng"),
        ("ouyangsheng", "sheng"),
        ("ouyangcheng", "sheng"),
        ("ouyangs", "sheng"),
        ("hly", "leyi"),
        ("hyy", "leyi"),
        ("huangyueyi", "leyi"),
        ("huangleyi", "leyi"),
    ],
)
def test_every_reading_of_a_polyphonic_character(door, polyphonic, query, who):
    assert door(query) == [polyphonic[who].pk]


def test_pinyin_matches_only_from_a_syllable_boundary(door, polyphonic):
    assert door("ngsh") == []


@pytest.fixture
def latin(prop):
    return {
        "durand": GuestFactory(full_name="ÉLODIE Durand"),
        "martin": GuestFactory(full_name="Élodie Martin"),
        "muller": GuestFactory(full_name="Jürgen MÜLLER"),
    }


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("élodie", ["durand", "martin"]),
        ("ELODIE", ["durand", "martin"]),
        ("müller", ["muller"]),
        ("MULLER", ["muller"]),
        ("élodie martin", ["martin"]),
        ("martin élodie", ["martin"]),
        ("ｅｌｏｄｉｅ ｄｕｒａｎｄ", ["durand"]),
    ],
)
def test_case_width_and_accents_fold_on_every_database(door, latin, query, who):
    # ties break by last visit (none here) then by sort name: Durand before Martin
    assert sorted(door(query)) == sorted(latin[w].pk for w in who)
    assert door(query) == [latin[w].pk for w in who]


def test_full_width_company_name(door, prop):
    company = Company.objects.create(property=prop, name="ＡＢＣ贸易有限公司")
    guest = GuestFactory(full_name="李四")
    guest_update(actor=None, guest=guest, data=GuestInput(fields={"company": company}))

    assert door("abc贸易") == [guest.pk]
    assert door("ＡＢＣ") == [guest.pk]
    assert door("贸易") == [guest.pk]
    assert door("有限公司") == [guest.pk]


@pytest.fixture
def xiaowen(prop):
    return GuestFactory(full_name="单晓雯", notes="客人偏好靠窗座位，忌辣，对花生过敏")


@pytest.mark.parametrize(
    "query", ["晓雯", "靠窗", "过敏", "花生过敏", "忌辣", "shanxiaowen", "sxw"]
)
def test_chinese_words_of_notes_and_the_given_name(door, xiaowen, query):
    GuestFactory(full_name="王窗", notes="喜欢吃辣")

    assert door(query) == [xiaowen.pk]


def test_a_single_character_of_a_note_finds_nobody(door, xiaowen):
    assert door("窗") == []
    assert door("辣") == []


def test_traditional_and_simplified_find_each_other(door, prop):
    traditional = GuestFactory(full_name="陳嘉欣")
    simplified = GuestFactory(full_name="陈嘉欣")

    assert sorted(door("陈嘉欣")) == sorted([traditional.pk, simplified.pk])
    assert sorted(door("陳嘉欣")) == sorted([traditional.pk, simplified.pk])
    traditional.refresh_from_db()
    assert traditional.full_name == "陳嘉欣"


def test_phone_and_id_tails_room_card_and_tag(door, prop):
    guest = GuestFactory(
        full_name="张伟",
        phones=["13912345678"],
        id_numbers=[resident_id(gender="M", seq=21)],
    )
    other = GuestFactory(full_name="李娜", phones=["13800001111"])
    MemberCard.objects.create(guest=guest, number="VIP-88001")
    guest.tags.add(Tag.objects.create(property=prop, name="常客"))
    guest_reindex([guest.pk])
    add_stay(
        other, days_ago=1, nights=3, room="1808", status="in_house", external_ref="S1"
    )

    for tail in ("5678", "45678", "345678", "2345678", "13912345678"):
        assert door(tail) == [guest.pk]
    assert door(resident_id(gender="M", seq=21)[-4:]) == [guest.pk]
    assert door("1808") == [other.pk]
    assert door("vip-88001") == [guest.pk]
    assert door("VIP-88") == [guest.pk]
    assert door("常客") == [guest.pk]


@pytest.fixture
def pillow(prop, manager):
    guest = GuestFactory(full_name="周杰")
    preference_set(
        actor=manager,
        guest=guest,
        item=PreferenceItem.objects.get(code="pillow"),
        value="低",
    )
    other = GuestFactory(full_name="周星")
    preference_set(
        actor=manager,
        guest=other,
        item=PreferenceItem.objects.get(code="pillow"),
        value="高",
    )
    return guest


@pytest.mark.parametrize(
    "query", ["pillow: low", "枕头:低", "枕头高度：低", "Pillow height: low", "低枕"]
)
def test_preference_values(door, pillow, query):
    assert GuestPreference.objects.count() == 2
    assert door(query) == [pillow.pk]


def test_a_preference_of_an_unknown_item_finds_nobody(door, pillow):
    assert door("hobby: low") == []
