"""The look-up box reads the last visits of what it shows with their cards."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossier.core.models import Property, StaffProfile
from dossier.duplicates.merge import guest_merge
from dossier.search.selectors import guest_lookup, hit_rows, lookup_rows
from dossier.web.selectors import viewer_property
from tests.factories import GuestFactory, add_bill, add_stay, resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(prop, manager):
    """A guest with a history, namesakes, one in the house, one merged away, one
    of another property sharing a phone tail."""
    nana = GuestFactory(
        full_name="欧阳娜娜",
        phones=["13800004444"],
        id_numbers=[resident_id(date(1990, 6, 1), "F", 3)],
    )
    add_stay(nana, days_ago=30, external_ref="S1")
    add_bill(nana, "B1", [("清蒸石斑鱼", "268", "liked")])
    for n in range(8):
        GuestFactory(full_name=f"王{'一二三四五六七八'[n]}", phones=[f"1390000{n:04d}"])
    guest = GuestFactory(full_name="王在店", phones=["13700001234"])
    add_stay(guest, days_ago=1, nights=3, room="0812", status="in_house",
             external_ref="S2")  # fmt: skip
    merged = GuestFactory(full_name="王合并", phones=["13600004444"])
    guest_merge(actor=manager, master=guest, duplicate=merged)
    other = Property.objects.create(code="branch", name="分店")
    GuestFactory(full_name="王分店", phones=["13500004444"], property=other)


QUERIES = ["13800004444", "4444", "0812", "812", "ouyang", "王", "wang", "王 1234",
           resident_id(date(1990, 6, 1), "F", 3), "不存在", "先生"]  # fmt: skip


def viewers(prop, make_staff):
    """Staff of this property, its superuser, staff of the branch (who may see
    none of this property's guests), and nobody signed in."""
    boss = User.objects.create_superuser("boss", password="pw-Dossier-1")
    StaffProfile.objects.create(user=boss, department="management", property=prop)
    branch = User.objects.create_user("branch", password="pw-Dossier-1")
    StaffProfile.objects.create(
        user=branch, department="fnb", property=Property.objects.get(code="branch")
    )
    return [
        make_staff("front_office"),
        make_staff("fnb"),
        User.objects.get(pk=boss.pk),
        User.objects.get(pk=branch.pk),
        AnonymousUser(),
    ]


@pytest.mark.parametrize("limit", [3, 20])
def test_the_rows_are_those_of_the_hits(prop, desk, make_staff, limit):
    for viewer in viewers(prop, make_staff):
        for query in QUERIES:
            # when the box looks a query up
            rows = lookup_rows(
                property_id=prop.pk, query=query, viewer=viewer, limit=limit
            )

            # then it shows what the look-up's hits show, card for card
            hits = guest_lookup(property_id=prop.pk, query=query, limit=limit)
            assert rows == hit_rows(hits, viewer), (query, viewer)
            if viewer.username == "branch":
                assert rows == []


def at_the_desk(user):
    """``user`` as a request has it when it looks up: its property and permissions
    read (once per request)."""
    viewer_property(user)
    user.has_perm("history.view_spend")
    return user


def count(prop, viewer, query, limit=20):
    with CaptureQueriesContext(connection) as queries:
        rows = lookup_rows(property_id=prop.pk, query=query, viewer=viewer, limit=limit)
    return len(queries.captured_queries), len(rows)


def test_a_phone_or_an_id_number_is_two_statements(prop, desk, make_staff):
    viewer = at_the_desk(make_staff("front_office"))

    assert count(prop, viewer, "13800004444") == (2, 1)
    assert count(prop, viewer, resident_id(date(1990, 6, 1), "F", 3)) == (2, 1)


def test_more_namesakes_than_are_shown_are_ranked_first(prop, desk, make_staff):
    # given more guests called 王 than the box shows
    viewer = at_the_desk(make_staff("front_office"))

    # when the box looks 王 up, then their last visits are read to rank them, and
    # only the cards of those shown
    assert count(prop, viewer, "王", limit=3) == (3, 3)
