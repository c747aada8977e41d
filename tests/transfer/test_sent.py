"""The sent list (已发送): what one sent, to whom, when, and whether it was opened,
each item as the sender may see it now; paged, exported and audited like the inbox."""

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossier.core.models import AuditEvent
from dossier.records.access import class_access_set
from dossier.records.models import Case, SchemeVersion
from dossier.transfer.models import Delivery
from dossier.transfer.services import SendInput, delivery_open, transfer_send
from tests.conftest import StaffMaker
from tests.exporting import csv_rows, exports_of, xlsx_sheet
from tests.records.conftest import FileCase

pytestmark = pytest.mark.django_db

UNAVAILABLE = "（无权查看或已不存在）"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _send(
    actor: User, case: Case, target_kind: str, target: str = "", note: str = ""
) -> None:
    transfer_send(
        actor=actor, data=SendInput("case", case.pk, target_kind, target, note)
    )


@pytest.fixture
def named_manager(manager: User) -> User:
    User.objects.filter(pk=manager.pk).update(last_name="陈", first_name="晓东")
    return User.objects.get(pk=manager.pk)


@pytest.fixture
def case(file_case: FileCase) -> Case:
    filed: Case = file_case(title="年度洗涤服务合同").case
    return filed


def test_the_sent_page_names_the_recipient_and_says_when_it_was_read(
    archivist: User, named_manager: User, case: Case
) -> None:
    # given a case sent to a colleague, who then opens it
    _send(archivist, case, "user", "manager", "请审阅续签条款")
    client = _client(archivist)
    before = client.get(reverse("transfer:sent")).content.decode()
    delivery = Delivery.objects.get()
    delivery_open(actor=named_manager, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.read_at is not None
    read_at = timezone.localtime(delivery.read_at)

    # when the sender looks at the sent page again
    after = client.get(reverse("transfer:sent")).content.decode()

    # then it names the case, the colleague, the note, unread then read with the time
    assert f"{case.archive_number} 年度洗涤服务合同" in before
    assert "发给 陈晓东" in before
    assert "请审阅续签条款" in before
    assert ">未读<" in before
    assert ">已读<" not in before
    assert ">已读<" in after
    assert f"{read_at:%Y-%m-%d %H:%M} 阅读" in after


def test_a_department_send_counts_who_read_it(
    archivist: User, manager: User, make_staff: StaffMaker, case: Case
) -> None:
    # given a case sent to the management department of two, one of whom opened it
    make_staff("management", username="gm")
    _send(archivist, case, "department", "management")
    delivery_open(actor=manager, delivery=Delivery.objects.get(recipient=manager))

    # when the sender reads the page and the API
    page = _client(archivist).get(reverse("transfer:sent")).content.decode()
    api = _client(archivist).get("/api/v1/inbox/sent").json()

    # then both say the department, and one of two read it
    assert "发给 管理层" in page
    assert "1 / 2 人已读" in page
    assert [
        (r["recipient"], r["read_at"] is not None) for r in api[0]["recipients"]
    ] == [
        ("manager", True),
        ("gm", False),
    ]
    assert (api[0]["target_kind"], api[0]["target"]) == ("department", "management")


def test_only_ones_own_sends_are_listed(
    archivist: User, manager: User, case: Case
) -> None:
    _send(archivist, case, "user", "manager", "档案员发的")
    _send(manager, case, "user", "archivist", "经理发的")

    page = _client(archivist).get(reverse("transfer:sent")).content.decode()
    api = _client(archivist).get("/api/v1/inbox/sent").json()

    assert "档案员发的" in page
    assert "经理发的" not in page
    assert [r["note"] for r in api] == ["档案员发的"]


def test_a_case_the_sender_may_no_longer_see_is_unavailable_without_its_title(
    archivist: User, manager: User, case: Case, scheme: SchemeVersion
) -> None:
    # given a case the archivist sent, whose class was then closed to them
    _send(archivist, case, "user", "manager", "注意")
    class_access_set(actor=manager, archive_class=case.archive_class,
                     groups=[Group.objects.get(name="管理层")])  # fmt: skip
    client = _client(archivist)
    url = reverse("transfer:sent")

    # when the archivist reads the page, the API and the export
    page = client.get(url).content.decode()
    api = client.get("/api/v1/inbox/sent").json()
    rows = csv_rows(client.get(url, {"export": "csv"}))

    # then the item is there, unavailable, and its title is nowhere
    assert UNAVAILABLE in page
    assert "年度洗涤" not in page
    assert api[0]["item"] == {
        "kind": "case",
        "available": False,
        "label": "",
        "url": "",
    }
    assert rows[1][0] == UNAVAILABLE
    assert "年度洗涤" not in "".join(",".join(r) for r in rows)


def test_the_sent_list_exports_its_rows_as_on_screen_audited(
    archivist: User, named_manager: User, case: Case
) -> None:
    # given two sends, one opened
    _send(archivist, case, "user", "manager", "=请审阅\x0b续签条款")
    _send(archivist, case, "self", "", "自己留存")
    delivery = Delivery.objects.get(recipient=named_manager)
    delivery_open(actor=named_manager, delivery=delivery)
    client = _client(archivist)
    url = reverse("transfer:sent")

    # when the sender downloads the list in both formats
    rows = csv_rows(client.get(url, {"export": "csv"}))
    sheet = xlsx_sheet(client.get(url, {"export": "xlsx"}))

    # then each send is a row, the newest first, the note kept as text
    label = f"{case.archive_number} 年度洗涤服务合同"
    assert rows[0] == ["内容", "类型", "发送给", "发送时间", "状态", "阅读时间", "附言"]
    assert [(r[0], r[1], r[2], r[4], bool(r[5]), r[6]) for r in rows[1:]] == [
        (label, "案件", "自己", "未读", False, "自己留存"),
        (label, "案件", "陈晓东", "已读", True, "'=请审阅 续签条款"),
    ]
    assert sheet["G3"].value == "=请审阅 续签条款"
    assert sheet["G3"].data_type == "s"
    exports = exports_of("transfer.sent")
    assert [(e.actor, e.detail["rows"]) for e in exports] == [(archivist, 2)] * 2
    assert AuditEvent.objects.filter(action="export").count() == 2


def test_the_sent_list_pages_fifty_and_the_inbox_links_to_it(
    archivist: User, case: Case
) -> None:
    for i in range(51):
        _send(archivist, case, "self", "", f"留存件{i:02d}")
    client = _client(archivist)
    url = reverse("transfer:sent")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    inbox = client.get(reverse("transfer:inbox")).content.decode()
    api: list[dict[str, Any]] = client.get(
        "/api/v1/inbox/sent", {"limit": 2, "offset": 49}
    ).json()

    assert first.count("留存件") == 50
    assert "留存件50" in first
    assert second.count("留存件") == 1
    assert "留存件00" in second
    assert f'href="{url}"' in inbox
    assert [r["note"] for r in api] == ["留存件01", "留存件00"]
