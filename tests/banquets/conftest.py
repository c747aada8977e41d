"""Fixtures of banquet menus: a guest allergic to peanuts, a company, a banquet manager."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dossier.banquets.models import BanquetMenu
from dossier.banquets.services import MenuInput, menu_create
from dossier.core.models import Property
from dossier.guests.models import Company, Guest, PreferenceItem
from dossier.guests.services import preference_set
from tests.conftest import StaffMaker
from tests.factories import GuestFactory


@pytest.fixture
def banqueting(make_staff: StaffMaker) -> User:
    return make_staff("fnb", username="banqueting")


@pytest.fixture
def zhang(prop: Property, banqueting: User) -> Guest:
    guest: Guest = GuestFactory(full_name="张伟", gender="M", phones=["13900001111"])
    preference_set(
        actor=banqueting,
        guest=guest,
        item=PreferenceItem.objects.get(code="allergy"),
        value="对花生过敏",
    )
    return guest


@pytest.fixture
def acme(prop: Property) -> Company:
    return Company.objects.create(property=prop, name="华东机电有限公司")


def past(days: int) -> date:
    return date.today() - timedelta(days=days)


@pytest.fixture
def make_menu(banqueting: User):  # type: ignore[no-untyped-def]
    def make(owner: Guest | Company, *, days_ago: int, occasion: str) -> BanquetMenu:
        kind = "guest" if isinstance(owner, Guest) else "company"
        return menu_create(
            actor=banqueting,
            **{kind: owner},  # type: ignore[arg-type]
            data=MenuInput(
                event_date=past(days_ago), occasion=occasion, tables=2, covers=20
            ),
        )

    return make


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
