"""Which guests a viewer may see: the queryset and the card's one statement agree."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dossier.core.models import Property
from dossier.duplicates.merge import guest_merge, guest_merge_undo
from dossier.guests.selectors import card_guests, guests_visible
from tests.factories import GuestFactory


def guest_ids_visible(viewer: User, ids: list[int]) -> set[int]:
    return set(card_guests(ids, visible_to=viewer))


pytestmark = pytest.mark.django_db


@pytest.fixture
def guests(prop):
    """Two guests of the house, one merged into the other, one of another house, and
    one whose merge was undone."""
    other = Property.objects.create(code="north", name="北楼")
    return {
        "master": GuestFactory(full_name="陈嘉欣", phones=["13800001234"]),
        "merged": GuestFactory(full_name="陳嘉欣", phones=["13900005678"]),
        "elsewhere": GuestFactory(full_name="李娜", property=other),
        "unmerged": GuestFactory(full_name="王芳"),
    }


@pytest.fixture
def merges(guests, manager):
    guest_merge(actor=manager, master=guests["master"], duplicate=guests["merged"])
    undone = guest_merge(
        actor=manager, master=guests["master"], duplicate=guests["unmerged"]
    )
    guest_merge_undo(actor=manager, merge=undone)


def test_the_check_agrees_with_the_queryset(guests, merges, waiter):
    admin = User.objects.create_superuser(username="root", password="pw-Dossier-1")
    ids = [guest.pk for guest in guests.values()]

    for viewer in (waiter, admin):
        expected = set(guests_visible(viewer).values_list("pk", flat=True))
        assert guest_ids_visible(viewer, ids) == expected

    assert guest_ids_visible(waiter, ids) == {
        guests["master"].pk,
        guests["unmerged"].pk,
    }
    assert guest_ids_visible(admin, ids) == {
        guests["master"].pk,
        guests["unmerged"].pk,
        guests["elsewhere"].pk,
    }
    assert guest_ids_visible(waiter, []) == set()


@pytest.mark.parametrize(
    ("name", "status"),
    [("master", 200), ("unmerged", 200), ("merged", 404), ("elsewhere", 404)],
)
def test_the_card_endpoint_shows_only_visible_guests(
    guests, merges, waiter, name, status
):
    client = Client()
    client.force_login(waiter)

    response = client.get(f"/api/v1/guests/{guests[name].pk}/card")

    assert response.status_code == status
    if status == 200:
        assert response.json()["id"] == guests[name].pk


@pytest.mark.parametrize("guest_id", [2**63, 10**30, -(2**63) - 1])
def test_a_card_number_past_any_guest_is_not_found(waiter, guest_id):
    client = Client()
    client.force_login(waiter)

    response = client.get(f"/api/v1/guests/{guest_id}/card")

    assert response.status_code == 404
    assert guest_ids_visible(waiter, [guest_id]) == set()
