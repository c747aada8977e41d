"""The administrator gives users a department and a property on the admin site."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from dossier.core.models import Property, StaffProfile
from dossier.core.roles import DEPARTMENT_ROLE
from dossier.demo.accounts import demo_admin_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(prop: Property) -> Client:
    demo_admin_ensure(property=prop)
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client


def _staff(department: str, prop: Property) -> dict[str, str]:
    return {
        "staff-TOTAL_FORMS": "1",
        "staff-INITIAL_FORMS": "0",
        "staff-MIN_NUM_FORMS": "1",
        "staff-MAX_NUM_FORMS": "1",
        "staff-0-department": department,
        "staff-0-property": str(prop.pk),
    }


def test_a_clerk_added_with_a_department_has_its_role(
    admin_client: Client, prop: Property
) -> None:
    # when the administrator adds a clerk of the front office
    response = admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "wangjing",
            "password1": "Qianting-2026!",
            "password2": "Qianting-2026!",
            "usable_password": "true",
            **_staff("front_office", prop),
        },
    )

    # then the clerk belongs to the property and the front office, with its role,
    # and can look guests up after logging in
    assert response.status_code == 302, response.content.decode()[:2000]
    clerk = User.objects.get(username="wangjing")
    staff = StaffProfile.objects.get(user=clerk)
    assert (staff.department, staff.property) == ("front_office", prop)
    assert [g.name for g in clerk.groups.all()] == [DEPARTMENT_ROLE["front_office"]]
    client = Client()
    assert client.login(username="wangjing", password="Qianting-2026!")
    assert client.get("/guests/").status_code == 200


def test_a_clerk_moved_to_the_restaurant_loses_the_front_offices_role(
    admin_client: Client, prop: Property, make_staff
) -> None:  # type: ignore[no-untyped-def]
    # given a front-desk clerk who also keeps the archive
    clerk = make_staff("front_office", username="wangjing")
    clerk.groups.add(Group.objects.get(name=DEPARTMENT_ROLE["archive"]))
    staff = StaffProfile.objects.get(user=clerk)
    page = admin_client.get(f"/admin/auth/user/{clerk.pk}/change/")
    form = page.context["adminform"].form

    # when the administrator moves them to the restaurant
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        {
            "groups": [g.pk for g in clerk.groups.all()],
            "date_joined_0": f"{clerk.date_joined:%Y-%m-%d}",
            "date_joined_1": f"{clerk.date_joined:%H:%M:%S}",
            **_staff("fnb", prop),
            "staff-INITIAL_FORMS": "1",
            "staff-0-id": str(staff.pk),
            "staff-0-user": str(clerk.pk),
        }
    )
    data.pop("password", None)
    data.pop("last_login", None)
    data.pop("user_permissions", None)
    response = admin_client.post(f"/admin/auth/user/{clerk.pk}/change/", data)

    # then they have the restaurant's role instead, and keep the archive's
    assert response.status_code == 302, response.content.decode()[:3000]
    assert StaffProfile.objects.get(user=clerk).department == "fnb"
    assert sorted(g.name for g in clerk.groups.all()) == sorted(
        [DEPARTMENT_ROLE["fnb"], DEPARTMENT_ROLE["archive"]]
    )


def test_the_properties_are_named_on_the_admin_site(
    admin_client: Client, prop: Property
) -> None:
    page = admin_client.get("/admin/core/property/").content.decode()

    assert prop.name in page
