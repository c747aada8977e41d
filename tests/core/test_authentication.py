"""The session, the user and their permissions are read afresh on every request.

Nothing about a login is kept in the server process between requests, so whatever
ends or changes it (a logout, an expiry, a deactivation, a role or property changed)
counts from the next request on, whichever server process handled the change.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossier.core.authentication import permissions_of, user_with_staff
from dossier.core.models import Property, StaffProfile
from dossier.core.roles import DEPARTMENT_ROLE
from dossier.core.sessions import SessionStore
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nana(prop):
    return GuestFactory(full_name="欧阳娜娜", gender="F", phones=["13800004444"])


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sharing(client: Client) -> Client:
    """Another browser tab holding the same session cookie."""
    other = Client()
    other.cookies["sessionid"] = client.cookies["sessionid"].value
    return other


def card_status(client: Client, guest_id: int) -> int:
    return client.get(f"/api/v1/guests/{guest_id}/card").status_code


def test_a_logged_out_session_is_refused_on_the_next_request(nana, waiter):
    # given one session open in two tabs
    first = logged_in(waiter)
    second = sharing(first)
    assert card_status(second, nana.pk) == 200

    # when the first tab logs out
    first.post("/accounts/logout/")

    # then the second tab's next request is not logged in, on the API and the pages
    assert card_status(second, nana.pk) == 401
    page = second.get("/")
    assert (page.status_code, page.url) == (302, "/accounts/login/?next=/")


def test_a_session_ended_by_another_server_process_is_refused(nana, waiter):
    # given a logged-in browser
    client = logged_in(waiter)
    assert card_status(client, nana.pk) == 200

    # when another process ends the session (its row is all they share)
    Session.objects.all().delete()

    # then this process refuses it on the next request
    assert card_status(client, nana.pk) == 401


def test_an_expired_session_is_refused(nana, waiter):
    client = logged_in(waiter)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    assert card_status(client, nana.pk) == 401


def test_a_deactivated_user_is_refused_on_the_next_request(nana, waiter):
    client = logged_in(waiter)
    assert card_status(client, nana.pk) == 200

    User.objects.filter(pk=waiter.pk).update(is_active=False)

    assert card_status(client, nana.pk) == 401


def test_a_changed_password_ends_the_other_sessions(nana, waiter):
    client = logged_in(waiter)

    waiter.set_password("another-Dossier-2")
    waiter.save()

    assert card_status(client, nana.pk) == 401


def test_a_permission_change_counts_from_the_next_request(nana, prop):
    # given a member of staff with no role yet
    user = User.objects.create_user(username="new", password="pw-Dossier-1")
    StaffProfile.objects.create(user=user, department="front_office", property=prop)
    client = logged_in(user)
    assert card_status(client, nana.pk) == 403

    # when given a role, then without a new login the next request may read the card
    role = Group.objects.get(name=DEPARTMENT_ROLE["front_office"])
    user.groups.add(role)
    assert card_status(client, nana.pk) == 200

    # when the role is taken away, the next request may not
    user.groups.remove(role)
    assert card_status(client, nana.pk) == 403

    # and a permission given to the user alone counts as well
    user.user_permissions.add(Permission.objects.get(codename="view_guest"))
    assert card_status(client, nana.pk) == 200


def test_staff_moved_to_another_property_see_its_guests_from_the_next_request(
    nana, waiter
):
    client = logged_in(waiter)
    assert card_status(client, nana.pk) == 200

    other = Property.objects.create(code="north", name="北楼")
    StaffProfile.objects.filter(user=waiter).update(property=other)

    assert card_status(client, nana.pk) == 404


def test_the_session_user_staff_and_permissions_take_one_statement_each(nana, waiter):
    # given
    client = logged_in(waiter)

    # when
    with CaptureQueriesContext(connection) as queries:
        assert card_status(client, nana.pk) == 200

    # then the session, the user with staff profile and property, and the
    # permissions are each read once, and the profile is not read again
    statements = [q["sql"] for q in queries.captured_queries]

    def reading(table: str) -> int:
        return sum(f'FROM "{table}"' in sql.replace("`", '"') for sql in statements)

    assert reading("django_session") == 1
    assert reading("auth_user") == 1
    assert reading("auth_permission") == 1
    assert sum("core_staffprofile" in sql for sql in statements) == 1


def test_a_user_is_read_with_staff_profile_and_property_in_one_statement(waiter):
    with CaptureQueriesContext(connection) as queries:
        user = user_with_staff(waiter.pk)
        assert user is not None
        assert (user.username, user.staff.department) == ("waiter", "fnb")
        assert user.staff.property.code == "main"
        assert user.staff.user is user

    assert len(queries.captured_queries) == 1


def test_a_user_without_staff_profile_has_none_without_another_statement(db):
    admin = User.objects.create_superuser(username="root", password="pw-Dossier-1")

    with CaptureQueriesContext(connection) as queries:
        user = user_with_staff(admin.pk)
        assert user is not None
        assert getattr(user, "staff", None) is None

    assert len(queries.captured_queries) == 1
    assert user_with_staff(admin.pk + 1000) is None


def test_permissions_are_the_ones_djangos_backend_gives(waiter, prop):
    # given a user with a role and a permission of their own, and a superuser
    waiter.user_permissions.add(Permission.objects.get(codename="add_guest"))
    admin = User.objects.create_superuser(username="root", password="pw-Dossier-1")

    for user in (User.objects.get(pk=waiter.pk), User.objects.get(pk=admin.pk)):
        expected = ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
        # then
        assert permissions_of(user) == expected
        assert len(expected) > 1
    assert "guests.add_guest" in permissions_of(waiter)


def test_an_unknown_session_key_is_not_taken_over():
    # given a key the server never gave out
    store = SessionStore("chosen-by-someone-else")

    # when it is read and something is stored
    assert store.load() == {}
    store["language"] = "en"
    store.save()

    # then the data lives under a new key
    assert store.session_key != "chosen-by-someone-else"
    assert not Session.objects.filter(session_key="chosen-by-someone-else").exists()


def test_logging_in_moves_the_session_to_a_new_key(waiter):
    # given a browser with a session from before its login
    before = SessionStore()
    before["seen"] = True
    before.save()
    client = Client()
    client.cookies["sessionid"] = before.session_key

    # when the user logs in on the login page
    response = client.post(
        "/accounts/login/", {"username": "waiter", "password": "pw-Dossier-1"}
    )

    # then the session lives on under a new key and the old key opens nothing
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before.session_key
    assert SessionStore(before.session_key).load() == {}
    assert SessionStore(after).load()["seen"] is True
