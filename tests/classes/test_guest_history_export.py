"""A guest's class history pages with a true count and exports every change as the
page lists it (date, change, way, reason, who), audited; only for those who may
export guests."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dossier.classes.models import ChangeKind, ClassChange
from dossier.classes.services import class_pin
from dossier.guests.models import Guest
from tests.conftest import StaffMaker
from tests.exporting import csv_rows, exports_of, xlsx_sheet
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_guests_class_history_exports_as_on_screen_and_audited(
    manager: User, make_staff: StaffMaker
) -> None:
    # given a guest whose class was computed, then pinned with a reason
    User.objects.filter(pk=manager.pk).update(last_name="陈", first_name="晓东")
    guest = GuestFactory(full_name="林晓")
    ClassChange.objects.create(guest=guest, to_class="B", on=date(2025, 4, 1),
                               kind=ChangeKind.COMPUTED, reason="年消费 ¥12,000")  # fmt: skip
    Guest.objects.filter(pk=guest.pk).update(guest_class="B")
    class_pin(actor=User.objects.get(pk=manager.pk), guest=Guest.objects.get(pk=guest.pk), klass="A",
              reason="=董事长亲友")  # fmt: skip
    pinned = ClassChange.objects.get(kind=ChangeKind.PINNED)
    url = f"/classes/guests/{guest.pk}/"
    client = _client(manager)

    # when the manager reads the page and downloads the history
    page = client.get(url).content.decode()
    rows = csv_rows(client.get(url, {"export": "csv"}))
    sheet = xlsx_sheet(client.get(url, {"export": "xlsx"}))
    refused = _client(make_staff("front_office")).get(url, {"export": "csv"})

    # then each change is a row as the page shows it, the latest first
    assert rows[0] == ["日期", "变动", "方式", "原因", "操作人"]
    assert rows[1:] == [
        [pinned.on.isoformat(), "B → A", "人工指定", "'=董事长亲友", "陈晓东"],
        ["2025-04-01", "— → B", "按消费重算", "年消费 ¥12,000", ""],
    ]
    assert "陈晓东" in page
    assert "共 2 次" in page
    assert "export=csv" in page
    assert sheet["D2"].value == "=董事长亲友"
    assert refused.status_code == 403
    exports = exports_of("classes.guest_history")
    assert [(e.detail["rows"], e.detail["guest"]) for e in exports] == [
        (2, guest.pk),
        (2, guest.pk),
    ]


def test_a_long_class_history_pages_fifty_and_exports_every_change(
    manager: User,
) -> None:
    guest = GuestFactory(full_name="林晓")
    ClassChange.objects.bulk_create(
        ClassChange(
            guest=guest,
            to_class="C",
            on=date(2020, 1, 1),
            kind=ChangeKind.COMPUTED,
            reason=f"第{i:02d}次重算",
        )
        for i in range(51)
    )
    url = f"/classes/guests/{guest.pk}/"
    client = _client(manager)

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    rows = csv_rows(client.get(url, {"page": 2, "export": "csv"}))

    assert first.count("次重算") == 50
    assert second.count("次重算") == 1
    assert "共 51 次" in first
    assert len(rows) == 52


def test_the_api_pages_a_guests_class_history_with_its_count(manager: User) -> None:
    guest = GuestFactory(full_name="林晓")
    ClassChange.objects.bulk_create(
        ClassChange(
            guest=guest,
            to_class="C",
            on=date(2020, 1, 1 + i),
            kind=ChangeKind.COMPUTED,
            reason=f"第{i}次",
        )
        for i in range(3)
    )
    client = _client(manager)
    url = f"/api/v1/classes/guests/{guest.pk}"

    first = client.get(url, {"limit": 2}).json()
    rest = client.get(url, {"limit": 2, "offset": 2}).json()
    refused = client.get(url, {"limit": 201})

    assert (first["history_count"], rest["history_count"]) == (3, 3)
    assert [c["reason"] for c in first["history"] + rest["history"]] == [
        "第2次",
        "第1次",
        "第0次",
    ]
    assert refused.status_code == 422
