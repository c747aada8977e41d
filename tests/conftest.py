"""Fixtures shared by every test: the default property and staff of each role."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, User

from dossier.core.models import Property, StaffProfile
from dossier.core.properties import property_default
from dossier.core.roles import DEPARTMENT_ROLE


@pytest.fixture
def prop(db: None) -> Property:
    return property_default()


StaffMaker = Callable[..., User]


@pytest.fixture
def make_staff(db: None, prop: Property) -> StaffMaker:
    """``make_staff("fnb")`` gives a user of the F&B role, logged into nothing."""
    counter = iter(range(1, 10_000))

    def make(department: str = "front_office", *, username: str = "") -> User:
        user = User.objects.create_user(
            username=username or f"{department}{next(counter)}", password="pw-Dossier-1"
        )
        StaffProfile.objects.create(user=user, department=department, property=prop)
        user.groups.add(Group.objects.get(name=DEPARTMENT_ROLE[department]))
        return User.objects.get(pk=user.pk)

    return make


@pytest.fixture
def manager(make_staff: StaffMaker) -> User:
    return make_staff("management", username="manager")


@pytest.fixture
def waiter(make_staff: StaffMaker) -> User:
    return make_staff("fnb", username="waiter")
