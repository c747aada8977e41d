"""A surname alone ranks its guests first; a surname with a form of address (王先生,
李总, Mr Wang) finds the guests of that surname, of the gender the form implies."""

import pytest

from dossier.search.selectors import Rank, guest_lookup, hit_why
from tests.factories import GuestFactory, add_stay

pytestmark = pytest.mark.django_db


def ids(prop, query):
    return [h.guest_id for h in guest_lookup(property_id=prop.pk, query=query)]


@pytest.fixture
def wangs(prop):
    return {
        "wei": GuestFactory(full_name="王伟", gender="M"),
        "li": GuestFactory(full_name="王丽", gender="F"),
        "fang": GuestFactory(full_name="王芳"),  # gender not recorded
        "yang": GuestFactory(full_name="汪洋", gender="M"),  # reads wang too
        "given": GuestFactory(full_name="李王明", gender="M"),  # 王 in the given name
        "ou": GuestFactory(full_name="欧阳娜娜", gender="F"),
    }


def test_sir_finds_the_men_and_the_unknown_of_the_surname(door, wangs):
    # given guests called 王 of every gender, and 王 inside another name
    # when the desk types 王先生
    found = door("王先生")

    # then the men called 王 and the 王 of unknown gender, nobody else
    assert sorted(found) == sorted([wangs["wei"].pk, wangs["fang"].pk])


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("王女士", ["li", "fang"]),
        ("王小姐", ["li", "fang"]),
        ("王总", ["wei", "li", "fang"]),
        ("王 先生", ["wei", "fang"]),
        ("Mr Wang", ["wei", "fang", "yang"]),
        ("mr. wang", ["wei", "fang", "yang"]),
        ("Ms Wang", ["li", "fang"]),
        ("欧阳女士", ["ou"]),
        ("歐陽女士", ["ou"]),
        ("欧阳先生", []),
        ("李先生", ["given"]),
    ],
)
def test_forms_of_address(prop, wangs, query, who):
    assert sorted(ids(prop, query)) == sorted(wangs[name].pk for name in who)


def test_a_latin_surname_with_a_form_of_address(prop):
    smith = GuestFactory(full_name="John Smith", gender="M")
    GuestFactory(full_name="Smith Jones", gender="M")  # Smith as given name

    assert ids(prop, "Mr Smith") == [smith.pk]
    assert ids(prop, "Ms Smith") == []


def test_a_surname_hit_says_so(prop, wangs):
    (hit, *_) = guest_lookup(property_id=prop.pk, query="王女士")

    assert hit_why(hit) == {
        "rank": "exact",
        "reason": "surname",
        "label": "姓氏",
        "matched": "王",
    }


def test_pinyin_of_a_surname_ranks_the_surname_first(prop):
    # given 李晨, whose given name reads chen and who was here yesterday,
    # and 陈伟, of the surname 陈, never seen
    given = GuestFactory(full_name="李晨")
    add_stay(given, days_ago=1)
    surname = GuestFactory(full_name="陈伟")

    found = guest_lookup(property_id=prop.pk, query="chen")

    assert [(h.guest_id, h.rank) for h in found] == [
        (surname.pk, Rank.SURNAME),
        (given.pk, Rank.EXACT),
    ]


def test_a_chinese_surname_ranks_the_surname_first(prop):
    given = GuestFactory(full_name="李陈明")
    add_stay(given, days_ago=1)
    surname = GuestFactory(full_name="陳嘉欣")  # traditional script

    assert ids(prop, "陈") == [surname.pk, given.pk]


def test_a_polyphonic_surname_is_found_by_its_surname_reading(prop):
    shan = GuestFactory(full_name="单晓雯")
    dan = GuestFactory(full_name="李单")  # in a given name 单 reads dan, shan, chan

    assert ids(prop, "shan") == [shan.pk, dan.pk]
    assert ids(prop, "dan") == [dan.pk]


def test_guests_indexed_before_surname_keys_get_them(prop):
    import importlib

    from django.apps import apps

    from dossier.search.models import SearchKey

    # given a guest indexed without surname keys, and one with no keys (merged away)
    migration = importlib.import_module("dossier.search.migrations.0003_surname_keys")
    wang = GuestFactory(full_name="王伟", gender="M")
    merged = GuestFactory(full_name="王强", gender="M")
    SearchKey.objects.filter(guest=merged).delete()
    SearchKey.objects.filter(guest=wang, key__regex=r"^sp?:").delete()
    assert ids(prop, "王先生") == []

    # when
    migration.add_surname_keys(apps, None)
    migration.add_surname_keys(apps, None)  # safe to run twice

    # then
    assert ids(prop, "王先生") == [wang.pk]
    assert sorted(
        SearchKey.objects.filter(key__regex=r"^sp?:").values_list("guest_id", "key")
    ) == [(wang.pk, "s:王"), (wang.pk, "sp:wang")]
