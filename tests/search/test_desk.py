"""What a clerk types at the desk, through every door: a name with a phone tail,
stray punctuation, names with joining marks, room numbers with or without a zero,
polyphonic surnames by their surname reading."""

import pytest

from dossier.search.keys import MAX_KEY
from tests.factories import GuestFactory, add_stay

pytestmark = pytest.mark.django_db

ID_ENDING_IN_X = "11010519880808039X"


@pytest.fixture
def desk(prop):
    return {
        "wangwu": GuestFactory(full_name="王五", phones=["13812341234"], gender="M"),
        "wangwei": GuestFactory(full_name="王伟", phones=["13900005555"]),
        "zhang": GuestFactory(full_name="张三丰", phones=["13900008888"]),
        "zhang3": GuestFactory(full_name="张三"),
        "zheng": GuestFactory(full_name="鄭國強", id_numbers=[ID_ENDING_IN_X]),
        "xiaowen": GuestFactory(
            full_name="单晓雯",
            notes="客人偏好靠窗座位，忌辣，对花生过敏",
            employer="华为技术有限公司",
        ),
    }


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("王 1234", ["wangwu"]),
        ("1234 王", ["wangwu"]),
        ("wang 1234", ["wangwu"]),
        ("王 13812341234", ["wangwu"]),
        ("王五 138-1234-1234", ["wangwu"]),
        ("王 5555", ["wangwei"]),
        ("王 138 1234 1234", ["wangwu"]),
        ("王先生 1234", ["wangwu"]),
        ("1234 王先生", ["wangwu"]),
        ("mr wang 1234", ["wangwu"]),
        ("Mr. Wang 138-1234-1234", ["wangwu"]),
        ("李先生 1234", []),
        ("王女士 1234", []),  # 王五 is a man
        ("138 1234 1234 王五", ["wangwu"]),
        ("张三 8888", ["zhang"]),
        ("王 8888", []),
        ("郑 039x", ["zheng"]),
        ("郑国强 039X", ["zheng"]),
        ("靠窗 过敏", ["xiaowen"]),
        ("靠窗，过敏", ["xiaowen"]),
        ("晓雯 花生过敏", ["xiaowen"]),
        ("shan 靠窗", ["xiaowen"]),
        ("sxw 华为", ["xiaowen"]),
        ("靠窗 辣椒", []),
    ],
)
def test_every_word_of_a_query_matches_in_its_own_way(door, desk, query, who):
    assert door(query) == [desk[name].pk for name in who]


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("王伟。", ["wangwei"]),
        ("（王伟）", ["wangwei"]),
        ("王伟?", ["wangwei"]),
        ("“王伟”", ["wangwei"]),
        ("😀王伟", ["wangwei"]),
        ("👍🏻王伟", ["wangwei"]),
        ("王伟❤️", ["wangwei"]),
        ("13812341234。", ["wangwu"]),
        ("…", []),
        ("？？", []),
        ("😀", []),
        ("%", []),
        ("_", []),
        ("\\", []),
        ("-", []),
        ("'", []),
    ],
)
def test_punctuation_and_emoji_only_separate_words(door, desk, query, who):
    assert door(query) == [desk[name].pk for name in who]


def test_a_null_character_is_no_part_of_a_word(prop, desk):
    from dossier.search.selectors import guest_lookup

    found = guest_lookup(property_id=prop.pk, query="王伟\x00")

    assert [hit.guest_id for hit in found] == [desk["wangwei"].pk]
    assert guest_lookup(property_id=prop.pk, query="\x00") == []


def test_the_api_and_the_page_refuse_a_null_character(searcher, desk):
    # no database keeps one: PostgreSQL refuses it outright
    refusal = {"loc": ["query", "tag"], "msg": "不能包含空字符", "type": "null"}

    search = searcher.get("/api/v1/search", {"q": "王伟", "tag": "常客\x00"})
    lookup = searcher.get("/api/v1/guests/lookup", {"q": "王伟\x00"})
    saved = searcher.post(
        "/api/v1/search/saved",
        {"name": "常客\x00", "query": "王"},
        content_type="application/json",
    )
    page = searcher.get("/search/", {"q": "王伟\x00"})

    assert (search.status_code, search.json()["errors"]) == (422, [refusal])
    assert (lookup.status_code, lookup.json()["errors"][0]["loc"]) == (
        422,
        ["query", "q"],
    )
    assert (saved.status_code, saved.json()["code"]) == (400, "invalid")
    assert page.status_code == 200
    assert list(page.context["form"].errors) == ["q"]


@pytest.mark.parametrize(
    "query",
    [
        "11010519880808039x",
        "11010519880808039X",
        "110105 19880808 039x",
        "039x",
        "郑国强",
        "鄭國強",
        "zhengguoqiang",
        "zgq",
    ],
)
def test_an_id_with_a_lower_case_x_and_a_traditional_name(door, desk, query):
    assert door(query) == [desk["zheng"].pk]


@pytest.mark.parametrize(
    "query",
    ["13812341234", "138 1234 1234", "138-1234-1234", "+86 138 1234 1234",
     "+86-138-1234-1234", "0086 13812341234", "(138) 1234-1234", "１３８１２３４１２３４"],
)  # fmt: skip
def test_a_mobile_typed_every_way(door, desk, query):
    assert door(query) == [desk["wangwu"].pk]


@pytest.fixture
def joined(prop):
    return {
        "ayi": GuestFactory(full_name="阿依古丽·买买提"),
        "jp": GuestFactory(full_name="Jean-Pierre Dupont"),
        "oneil": GuestFactory(full_name="Mary Ann O'Neil"),
    }


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("阿依古丽·买买提", "ayi"),
        ("阿依古丽买买提", "ayi"),
        ("阿依古丽 买买提", "ayi"),
        ("买买提", "ayi"),
        ("ayiguli", "ayi"),
        ("maimaiti", "ayi"),
        ("ayigulimaimaiti", "ayi"),
        ("Jean-Pierre", "jp"),
        ("jean pierre", "jp"),
        ("jeanpierre", "jp"),
        ("pierre dupont", "jp"),
        ("O'Neil", "oneil"),
        ("O’Neil", "oneil"),
        ("oneil", "oneil"),
        ("mary ann o'neil", "oneil"),
        ("Mary Ann", "oneil"),
    ],
)
def test_names_with_joining_marks(door, joined, query, who):
    assert door(query) == [joined[who].pk]


def test_the_reading_of_a_name_with_a_middle_dot_is_its_usual_one(prop, joined):
    from dossier.search.selectors import guest_lookup, hit_why

    (hit,) = guest_lookup(property_id=prop.pk, query="ayiguli")

    assert hit_why(hit)["matched"] == "ayigulimaimaiti"


@pytest.fixture
def rooms(prop):
    in_house = GuestFactory(full_name="李雷")
    add_stay(
        in_house,
        days_ago=1,
        nights=3,
        room="0812",
        status="in_house",
        external_ref="S1",
    )
    earlier = GuestFactory(full_name="韩梅梅")
    add_stay(earlier, days_ago=20, room="0907", external_ref="S2")
    return {"in_house": in_house, "earlier": earlier}


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("0812", "in_house"),
        ("812", "in_house"),
        ("812。", "in_house"),
        ("#812", "in_house"),
        ("907", "earlier"),
        ("0907", "earlier"),
    ],
)
def test_a_room_with_or_without_its_leading_zero(door, rooms, query, who):
    assert door(query) == [rooms[who].pk]


# Surnames read otherwise in a given name: (surname, its reading, a reading it has
# only in a given name; 翟 is read zhai and di as a surname alike).
POLYPHONIC = [
    ("单", "shan", "dan"),
    ("曾", "zeng", "ceng"),
    ("区", "ou", "qu"),
    ("仇", "qiu", "chou"),
    ("朴", "piao", "pu"),
    ("解", "xie", "jie"),
    ("查", "zha", "cha"),
    ("翟", "zhai", ""),
    ("缪", "miao", "miu"),
]


@pytest.mark.parametrize(("surname", "reading", "other"), POLYPHONIC)
def test_a_polyphonic_surname_is_found_by_its_surname_reading(
    door, prop, surname, reading, other
):
    # given a guest of the surname, and one with the character in the given name
    holder = GuestFactory(full_name=f"{surname}晓雯")
    given = GuestFactory(full_name=f"李{surname}")

    # then the surname reading finds the guest of the surname first
    found = door(reading)
    assert found[0] == holder.pk
    assert door(f"{reading}xiaowen") == [holder.pk]
    assert door(surname)[:2] == [holder.pk, given.pk]
    # and a reading the surname does not have finds that guest by no name
    if other:
        assert door(f"{other}xiaowen") == []
        assert holder.pk not in door(other)


def test_guests_indexed_before_joined_name_keys_get_them(prop):
    import importlib

    from django.apps import apps

    from dossier.search.models import SearchKey
    from dossier.search.selectors import guest_lookup

    # given a guest indexed before names were keyed without their marks, and a
    # profile merged away (no keys)
    migration = importlib.import_module(
        "dossier.search.migrations.0004_joined_name_keys"
    )
    jp = GuestFactory(full_name="Jean-Pierre Dupont")
    merged = GuestFactory(full_name="Anne-Marie Lefèvre")
    SearchKey.objects.filter(guest=merged).delete()
    SearchKey.objects.filter(
        guest=jp, key__in=["n:jeanpierre", "n:jean", "n:pierre", "n:jeanpierredupont"]
    ).delete()
    before = set(SearchKey.objects.filter(guest=jp).values_list("key", flat=True))

    # when
    migration.add_name_keys(apps, None)
    migration.add_name_keys(apps, None)  # safe to run twice

    # then
    after = list(SearchKey.objects.filter(guest=jp).values_list("key", flat=True))
    assert sorted(set(after) - before) == [
        "n:jean",
        "n:jeanpierre",
        "n:jeanpierredupont",
        "n:pierre",
    ]
    assert len(after) == len(set(after))
    assert not SearchKey.objects.filter(guest=merged).exists()
    found = guest_lookup(property_id=prop.pk, query="jean pierre")
    assert [h.guest_id for h in found] == [jp.pk]


def test_a_name_longer_than_a_key_typed_whole(door, prop):
    # given a company name longer than a search key holds
    name = (
        "ShanghaiInternationalPortGroupLogisticsandSupplyChainManagement"
        "CompanyLimitedPudongBranchOfficeBuilding"
    )
    guest = GuestFactory(full_name="周港", employer=name)

    assert len("co:" + name) > MAX_KEY
    assert door(name) == [guest.pk]
    assert door(name[:40]) == [guest.pk]
    assert door(name + "x") == [guest.pk]  # beyond what a key holds, all alike


def test_a_name_with_a_phone_tail_reads_the_tail_first(prop, desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dossier.search.selectors import guest_lookup, hit_why

    # given many guests called 王 and one whose phone ends in 1234
    for n in range(30):
        GuestFactory(full_name=f"王{n}", phones=[f"1370000{n:04d}"])

    with CaptureQueriesContext(connection) as queries:
        (hit,) = guest_lookup(property_id=prop.pk, query="王 1234")

    # then the phone tail is what the look-up scanned for, and says so
    assert hit.guest_id == desk["wangwu"].pk
    assert hit_why(hit) == {
        "rank": "word",
        "reason": "phone_tail",
        "label": "手机尾号",
        "matched": "138****1234",
    }
    assert len(queries.captured_queries) == 2


def test_a_renamed_company_finds_its_contacts_by_the_new_name(door, prop, searcher):
    from dossier.guests.models import Company
    from dossier.guests.services import GuestInput, guest_update

    # given a contact of a company
    company = Company.objects.create(property=prop, name="ＡＢＣ贸易有限公司")
    guest = GuestFactory(full_name="李四")
    guest_update(actor=None, guest=guest, data=GuestInput(fields={"company": company}))

    # when the company is renamed on its page
    response = searcher.post(
        f"/guests/companies/{company.pk}/edit/",
        {"name": "星辰科技有限公司", "guest_class": "C"},
    )

    # then search finds the contact by the new name only
    assert response.status_code == 302, response.content.decode()[:2000]
    assert door("星辰科技") == [guest.pk]
    assert door("贸易") == []


@pytest.mark.parametrize(
    "query", ["VIP-88001", "vip88001", "VIP 88001", "vip88", "88001", "王 88001"]
)
def test_a_card_with_or_without_its_dash(door, prop, query):
    from dossier.guests.models import MemberCard
    from dossier.search.indexing import guest_reindex

    guest = GuestFactory(full_name="王伟")
    MemberCard.objects.create(guest=guest, number="VIP-88001")
    guest_reindex([guest.pk])

    assert door(query) == [guest.pk]


def test_cards_indexed_before_get_keys_without_their_dash(prop):
    import importlib

    from django.apps import apps

    from dossier.guests.models import MemberCard
    from dossier.search.indexing import guest_reindex
    from dossier.search.models import SearchKey

    migration = importlib.import_module(
        "dossier.search.migrations.0006_card_keys_without_marks"
    )
    guest = GuestFactory(full_name="王伟")
    MemberCard.objects.create(guest=guest, number="VIP-88001")
    guest_reindex([guest.pk])
    SearchKey.objects.filter(key__in=["c:vip88001", "c:88001"]).delete()

    migration.add_card_keys(apps, None)
    migration.add_card_keys(apps, None)

    assert sorted(
        SearchKey.objects.filter(key__startswith="c:").values_list("key", flat=True)
    ) == ["c:88001", "c:vip-88001", "c:vip88001"]
