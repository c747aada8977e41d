"""Fixtures shared by every test: the default property and staff of each role."""

import os
import tempfile
from collections.abc import Callable

os.environ.setdefault("DOSSIER_DATA_DIR", tempfile.mkdtemp(prefix="dossier-test-"))
os.environ.setdefault("DOSSIER_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DOSSIER_FIELD_KEY", "test-field-key-not-for-production")

import pytest  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402

from dossier.core.models import Property, StaffProfile  # noqa: E402
from dossier.core.properties import property_default  # noqa: E402
from dossier.core.roles import DEPARTMENT_ROLE  # noqa: E402


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
