"""The quota dashboard exports what it shows."""

import csv
import io

import pytest
from django.contrib.auth.models import User

from dossier.core.audit import AuditEvent
from tests.collection.conftest import logged_in, observed
from tests.conftest import StaffMaker
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


def test_the_quota_dashboard_exports_each_person_and_is_audited(
    manager: User, waiter: User, make_staff: StaffMaker
) -> None:
    # given a housekeeper with one observation in November
    maid = make_staff("housekeeping", username="maid")
    observed(maid, GuestFactory(), "2026-11-02T10:00")
    client = logged_in(manager)

    # when the dashboard of November, housekeeping only, is exported
    url = "/collection/quotas/?month=2026-11&department=housekeeping&export="
    raw = client.get(url + "csv").content
    xlsx = client.get(url + "xlsx")
    refused = logged_in(waiter).get(url + "csv")

    # then
    assert raw.startswith("\ufeff".encode())
    heading, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert heading[:3] == ["部门", "员工", "层级"]
    maid_row = next(r for r in rows if r[1] == "maid")
    assert maid_row[0] == "客房部"
    assert maid_row[6:8] == ["1", "60"]  # 2 a day over the 30 days of November
    assert maid_row[-1] == "差 59"
    assert {r[0] for r in rows} == {"客房部"}
    assert xlsx.status_code == 200
    assert refused.status_code == 403
    event = AuditEvent.objects.filter(object_type="collection.quotas").first()
    assert event is not None
    assert event.detail["department"] == "housekeeping"
    assert AuditEvent.objects.filter(object_type="collection.quotas").count() == 2
