"""The desk's look-up: every key G7 names finds the guest, and nothing else does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dossier.guests.models import Company, MemberCard
from dossier.guests.services import GuestInput, guest_update
from dossier.search.indexing import guest_reindex
from dossier.search.selectors import Rank, guest_lookup
from tests.factories import GuestFactory, add_stay, resident_id

pytestmark = pytest.mark.django_db


def found(prop, query):
    return [hit.guest_id for hit in guest_lookup(property_id=prop.pk, query=query)]


@pytest.fixture
def nana(prop):
    return GuestFactory(
        full_name="欧阳娜娜",
        phones=["138-0000-4444"],
        id_numbers=[resident_id(gender="F", seq=7)],
        notes="客人偏好靠窗座位，忌辣，对花生过敏",
    )


@pytest.fixture
def other(prop):
    return GuestFactory(full_name="黄乐怡", phones=["13912345678"])


@pytest.mark.parametrize(
    "query",
    [
        "13800004444",
        "+86 138 0000 4444",
        "１３８００００４４４４",
        "4444",
        "欧阳娜娜",
        "欧阳",
        "娜娜",
        "ouyangnana",
        "OuYang",
        "oynn",
        "oyn",
        "歐陽娜娜",
        "靠窗",
        "花生过敏",
    ],
)
def test_finds_the_guest(nana, other, prop, query):
    assert found(prop, query) == [nana.pk]


def test_whole_id_number_and_its_last_four(nana, other, prop):
    number = resident_id(gender="F", seq=7)

    assert found(prop, number) == [nana.pk]
    assert found(prop, number[-4:]) == [nana.pk]
    assert found(prop, number.lower()) == [nana.pk]


def test_pinyin_matches_only_from_a_syllable_boundary(nana, other, prop):
    assert found(prop, "hly") == [other.pk]
    assert found(prop, "huangyueyi") == [other.pk]
    assert found(prop, "ngnana") == []
    assert found(prop, "yangnana") == [nana.pk]


def test_nothing_for_an_unknown_key(nana, other, prop):
    assert found(prop, "5555") == []
    assert found(prop, "李") == []
    assert found(prop, "") == []


def test_room_number_finds_the_guest_in_house_first(nana, other, prop):
    # given the room was Nana's last month and is the other guest's tonight
    add_stay(nana, days_ago=30, room="0812", external_ref="S1")
    add_stay(
        other, days_ago=1, nights=3, room="0812", status="in_house", external_ref="S2"
    )

    assert found(prop, "0812") == [other.pk]


def test_room_number_falls_back_to_the_last_guest(nana, other, prop):
    add_stay(nana, days_ago=60, room="1206", external_ref="S1")
    add_stay(other, days_ago=20, room="1206", external_ref="S2")

    assert found(prop, "1206") == [other.pk]


def test_card_number_and_company(nana, other, prop):
    MemberCard.objects.create(guest=nana, number="VIP-88001")
    company = Company.objects.create(property=prop, name="ＡＢＣ贸易有限公司")
    guest_update(actor=None, guest=other, data=GuestInput(fields={"company": company}))
    guest_reindex([nana.pk, other.pk])

    assert found(prop, "vip-88001") == [nana.pk]
    assert found(prop, "abc贸易") == [other.pk]


def test_exact_keys_rank_before_prefixes(prop):
    short = GuestFactory(full_name="王芳")
    longer = GuestFactory(full_name="王芳芳")

    hits = guest_lookup(property_id=prop.pk, query="王芳")

    assert [(h.guest_id, h.rank) for h in hits] == [
        (short.pk, Rank.EXACT),
        (longer.pk, Rank.PREFIX),
    ]


def test_keys_follow_every_write(nana, prop):
    guest_update(actor=None, guest=nana, data=GuestInput(phones=["13600001111"]))

    assert found(prop, "1111") == [nana.pk]
    assert timezone.now() - nana.created_at < timedelta(minutes=5)
