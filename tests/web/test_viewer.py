"""The viewer's staff profile and property are read once, together."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossier.core.models import Property, StaffProfile
from dossier.core.properties import property_default
from dossier.guests.selectors import viewer_department
from dossier.web.selectors import viewer_property

pytestmark = pytest.mark.django_db


def test_the_property_and_department_of_staff_cost_one_statement(prop):
    # given a member of staff of a branch, freshly read as a request reads it
    branch = Property.objects.create(code="branch", name="分店")
    user = User.objects.create_user("desk", password="pw-Dossier-1")
    StaffProfile.objects.create(user=user, department="fnb", property=branch)
    user = User.objects.get(pk=user.pk)

    # when the page asks for the property, then the department
    with CaptureQueriesContext(connection) as queries:
        found = viewer_property(user)
        department = viewer_department(user)

    # then both come from one statement
    assert (found, department) == (branch, "fnb")
    assert len(queries.captured_queries) == 1


@pytest.mark.parametrize("with_profile", [False, True])
def test_a_user_without_a_property_works_in_the_default_one(prop, with_profile):
    user = User.objects.create_user("someone", password="pw-Dossier-1")
    if with_profile:
        StaffProfile.objects.create(user=user, department="fnb")
    user = User.objects.get(pk=user.pk)

    assert viewer_property(user) == property_default()
    assert viewer_property(AnonymousUser()) == property_default()
    with CaptureQueriesContext(connection) as queries:
        department = viewer_department(user)
    assert department == ("fnb" if with_profile else "")
    assert queries.captured_queries == []
