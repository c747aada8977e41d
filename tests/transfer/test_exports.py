"""The inbox pages fifty items at a time and exports every item as its reader may see
it now: an item whose class was closed to them is unavailable, without its title."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from dossier.records.access import class_access_set
from dossier.records.models import SchemeVersion
from dossier.transfer.services import SendInput, transfer_send
from tests.exporting import csv_rows, exports_of, xlsx_sheet
from tests.records.conftest import FileCase

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_inbox_export_hides_what_the_reader_may_no_longer_see(
    archivist: User, manager: User, file_case: FileCase, scheme: SchemeVersion
) -> None:
    # given two cases sent to the archivist, the first one's class then closed to them
    secret = file_case(title="高管薪酬协议").case
    plain = file_case(
        title="客户框架合同", archive_class=scheme.classes.get(full_code="01-0204")
    ).case
    for case, note in ((secret, "请归档"), (plain, "=请审阅\x0b续签条款")):
        transfer_send(
            actor=manager,
            data=SendInput("case", case.pk, "user", "archivist", note),
        )
    class_access_set(
        actor=manager,
        archive_class=secret.archive_class,
        groups=[Group.objects.get(name="管理层")],
    )
    client = _client(archivist)
    url = reverse("transfer:inbox")

    # when the archivist downloads the inbox
    rows = csv_rows(client.get(url, {"export": "csv"}))
    sheet = xlsx_sheet(client.get(url, {"export": "xlsx"}))

    # then the open case is named, the closed one is not, the note is text
    assert rows[0] == ["内容", "类型", "发件人", "收到时间", "状态", "附言"]
    assert [(r[0], r[4], r[5]) for r in rows[1:]] == [
        (f"{plain.archive_number} 客户框架合同", "未读", "'=请审阅 续签条款"),
        ("（无权查看或已不存在）", "未读", "请归档"),
    ]
    assert "高管薪酬" not in "".join(",".join(r) for r in rows)
    assert sheet["F2"].value == "=请审阅 续签条款"
    assert sheet["F2"].data_type == "s"
    assert [e.detail["rows"] for e in exports_of("transfer.inbox")] == [2, 2]


def test_the_inbox_pages_its_items_and_exports_them_all(
    archivist: User, file_case: FileCase
) -> None:
    # given 51 items sent to oneself
    case = file_case(title="年度洗涤服务合同").case
    for _ in range(51):
        transfer_send(actor=archivist, data=SendInput("case", case.pk, "self"))
    client = _client(archivist)
    url = reverse("transfer:inbox")

    # when the first and second pages are shown and the inbox exported
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    rows = csv_rows(client.get(url, {"page": 2, "export": "csv"}))

    # then the pages hold 50 and 1, the export every item
    assert first.count('class="unread"') == 50
    assert second.count('class="unread"') == 1
    assert 'rel="next"' in first
    assert len(rows) == 52
    assert "export=xlsx" in first
