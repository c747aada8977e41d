import json

import pytest
from django.contrib.auth.models import User

from dossier.collection.models import (
    ChecklistItem,
    Quota,
    Registration,
    RegistrationLink,
    StaffRank,
)
from dossier.collection.registrations import CardInput, registration_submit
from dossier.core.models import Property
from tests.collection.conftest import logged_in
from tests.conftest import StaffMaker

pytestmark = pytest.mark.django_db


def test_a_manager_holds_the_general_manager_to_the_senior_quota(
    manager: User, make_staff: StaffMaker
) -> None:
    gm = make_staff("management", username="gm")

    response = logged_in(manager).post(
        "/collection/quotas/settings/",
        {"section": "rank", "user": gm.pk, "rank": "senior"},
    )

    assert response.status_code == 302
    assert StaffRank.objects.get(user=gm).rank == "senior"


def test_touchpoints_must_not_be_empty(prop: Property, manager: User) -> None:
    page = logged_in(manager).post(
        "/collection/quotas/settings/",
        {"section": "touchpoints", "touchpoints": " \n "},
    )

    assert page.status_code == 200
    assert "计为接触客人的场合" in page.content.decode()
    assert not prop.__class__.objects.filter(collection_settings__isnull=False).exists()


def test_staff_cannot_change_quotas(waiter: User) -> None:
    response = logged_in(waiter).post(
        "/collection/quotas/settings/",
        {"section": "staff", "staff-measure": "observations", "staff-period": "day",
         "staff-target": "0"},
    )  # fmt: skip

    assert response.status_code == 403
    assert Quota.objects.count() == 0


def test_the_checklist_pages_seed_add_and_deactivate(
    prop: Property, manager: User
) -> None:
    client = logged_in(manager)

    seeded = client.post("/collection/checklists/", {"seed": "1"})
    added = client.post(
        "/collection/checklists/new/",
        {"department": "housekeeping", "label": "拖鞋是否穿过", "kind": "choice",
         "choices": "穿过，未穿", "position": "9", "active": "on"},
    )  # fmt: skip
    tv = ChecklistItem.objects.get(property=prop, label="电视停留的频道")
    stopped = client.post(
        f"/collection/checklists/{tv.pk}/",
        {
            "department": "housekeeping",
            "label": tv.label,
            "kind": "text",
            "position": "3",
        },
    )
    listing = client.get("/collection/checklists/").content.decode()

    assert (seeded.status_code, added.status_code, stopped.status_code) == (
        302,
        302,
        302,
    )
    assert ChecklistItem.objects.get(label="拖鞋是否穿过").choices == ["穿过", "未穿"]
    tv.refresh_from_db()
    assert tv.active is False
    assert "拖鞋是否穿过" in listing


def test_a_link_is_made_and_closed_from_the_registrations_page(
    prop: Property, make_staff: StaffMaker
) -> None:
    client = logged_in(make_staff("front_office", username="clerk"))

    made = client.post(
        "/collection/links/", {"kind": "vip", "label": "大堂", "days": "7"}
    )
    link = RegistrationLink.objects.get()
    listing = client.get("/collection/registrations/").content.decode()
    closed = client.post(f"/collection/links/{link.pk}/close/")

    link.refresh_from_db()
    assert made.status_code == 302
    assert f"/collection/r/{link.token}/" in listing
    assert closed.status_code == 302
    assert link.is_open() is False


def test_a_card_is_rejected_through_the_api(
    prop: Property, make_staff: StaffMaker
) -> None:
    pending = registration_submit(
        property=prop,
        kind="card",
        data=CardInput(full_name="测试", mobile="13900000000", birth_date="2000-01-01"),
    )
    client = logged_in(make_staff("front_office", username="clerk"))

    rejected = client.post(f"/api/v1/collection/registrations/{pending.pk}/reject")
    again = client.post(
        f"/api/v1/collection/registrations/{pending.pk}/confirm",
        json.dumps({}),
        content_type="application/json",
    )

    assert rejected.json()["status"] == "rejected"
    assert again.status_code == 422
    assert again.json()["message"] == "该登记已处理过"
    assert Registration.objects.get().guest is None


def test_api_changes_a_quota(prop: Property, manager: User) -> None:
    response = logged_in(manager).put(
        "/api/v1/collection/quotas/staff",
        json.dumps({"measure": "observations", "period": "day", "target": 3}),
        content_type="application/json",
    )
    refused = logged_in(manager).put(
        "/api/v1/collection/quotas/exempt",
        json.dumps({"measure": "observations", "period": "day", "target": 3}),
        content_type="application/json",
    )

    assert response.json() == {
        "rank": "staff",
        "measure": "observations",
        "period": "day",
        "target": 3,
    }
    assert Quota.objects.get(property=prop, rank="staff").target == 3
    assert refused.status_code == 422
    assert refused.json()["field"] == "rank"
