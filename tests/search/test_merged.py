"""Merged-away profiles are found through no door; an undone merge finds both again."""

import pytest

from dossier.duplicates.merge import guest_merge, guest_merge_undo
from dossier.guests.models import MemberCard
from dossier.search.indexing import guest_reindex
from tests.factories import GuestFactory, add_stay

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(prop):
    master = GuestFactory(full_name="陈嘉欣", phones=["13800001234"])
    duplicate = GuestFactory(
        full_name="陳嘉欣", phones=["13900005678"], notes="对海鲜过敏"
    )
    MemberCard.objects.create(guest=duplicate, number="VIP-77001")
    guest_reindex([duplicate.pk])
    add_stay(
        duplicate,
        days_ago=1,
        nights=3,
        room="1606",
        status="in_house",
        external_ref="S-dup",
    )
    return master, duplicate


QUERIES = ["陈嘉欣", "陳嘉欣", "chenjiaxin", "cjx", "13900005678", "5678", "海鲜",
           "vip-77001", "1606", "陈 5678"]  # fmt: skip


def test_a_merged_profile_is_found_through_no_door(door, pair, manager):
    master, duplicate = pair

    guest_merge(actor=manager, master=master, duplicate=duplicate)

    for query in QUERIES:
        assert door(query) == [master.pk], query


def test_an_undone_merge_finds_both_profiles_again(door, pair, manager):
    master, duplicate = pair
    merge = guest_merge(actor=manager, master=master, duplicate=duplicate)

    guest_merge_undo(actor=manager, merge=merge)

    assert sorted(door("陈嘉欣")) == sorted([master.pk, duplicate.pk])
    assert sorted(door("chenjiaxin")) == sorted([master.pk, duplicate.pk])
    assert door("13800001234") == [master.pk]
    for query in ["13900005678", "5678", "海鲜", "vip-77001", "1606", "陈 5678"]:
        assert door(query) == [duplicate.pk], query


def test_a_guest_is_found_by_the_name_a_merged_profile_had(door, prop, manager):
    # given the name a guest gave once, merged into the profile under the
    # other, and that profile merged in turn into a third
    master = GuestFactory(full_name="周杰伦", phones=["13800001234"])
    middle = GuestFactory(full_name="周小伦")
    alias = GuestFactory(full_name="Jay Chou")
    first = guest_merge(actor=manager, master=middle, duplicate=alias)
    second = guest_merge(actor=manager, master=master, duplicate=middle)

    # then every name finds the master, by words and readings too
    for query in [
        "jay chou",
        "Jay",
        "chou jay",
        "周小伦",
        "zhouxiaolun",
        "zxl",
        "周杰伦",
    ]:
        assert door(query) == [master.pk], query

    # and once both merges are undone, each name finds its own profile again
    guest_merge_undo(actor=manager, merge=second)
    guest_merge_undo(actor=manager, merge=first)
    assert door("jay chou") == [alias.pk]
    assert door("周小伦") == [middle.pk]
    assert door("zhoujielun") == [master.pk]


def test_masters_merged_before_get_the_names_of_their_merged_profiles(prop, manager):
    import importlib

    from django.apps import apps

    from dossier.search.models import SearchKey
    from dossier.search.selectors import guest_lookup

    # given a merge made before masters were keyed by merged profiles' names
    migration = importlib.import_module(
        "dossier.search.migrations.0005_merged_name_keys"
    )
    master = GuestFactory(full_name="周杰伦")
    alias = GuestFactory(full_name="Jay Chou")
    guest_merge(actor=manager, master=master, duplicate=alias)
    keys = set(SearchKey.objects.filter(guest=master).values_list("key", flat=True))
    SearchKey.objects.filter(guest=master, key__in=["n:jay", "n:jaychou"]).delete()
    SearchKey.objects.filter(
        guest=master, key__in=["n:chou", "s:chou", "sp:chou"]
    ).delete()
    assert guest_lookup(property_id=prop.pk, query="jay chou") == []

    # when
    migration.add_merged_names(apps, None)
    migration.add_merged_names(apps, None)  # safe to run twice

    # then
    after = list(SearchKey.objects.filter(guest=master).values_list("key", flat=True))
    assert sorted(after) == sorted(keys)
    found = guest_lookup(property_id=prop.pk, query="jay chou")
    assert [hit.guest_id for hit in found] == [master.pk]
