"""Fixtures of the web pages: a guest with an allergy and logged-in clients."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dossier.guests.models import Guest, PreferenceItem
from dossier.guests.services import preference_set
from tests.factories import GuestFactory, resident_id


@pytest.fixture
def nana(prop: object, manager: User) -> Guest:
    """欧阳娜娜: female, mobile 13800004444, a resident ID, allergic to peanuts."""
    guest: Guest = GuestFactory(
        full_name="欧阳娜娜",
        gender="F",
        phones=["13800004444"],
        id_numbers=[resident_id(date(1990, 6, 1), "F", 3)],
        guest_class="A",
        vip_level="金卡",
    )
    preference_set(
        actor=manager,
        guest=guest,
        item=PreferenceItem.objects.get(code="allergy"),
        value="花生",
    )
    return guest


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def waiter_client(waiter: User) -> Client:
    return logged_in(waiter)


@pytest.fixture
def manager_client(manager: User) -> Client:
    return logged_in(manager)
