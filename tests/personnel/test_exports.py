"""Exports of the personnel lists: files, the sign-out register, outstanding receipts.

Each holds the rows its page shows with the same filters, ID numbers masked as on
screen, a name that looks like a formula kept as text, and is audited; staff who may
not open the page cannot download it.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dossier.core.audit import AuditAction
from dossier.core.models import AuditEvent, Property
from dossier.personnel.models import SignOut
from tests.conftest import StaffMaker
from tests.exporting import csv_rows, exports_of, xlsx_sheet
from tests.personnel.conftest import DELEGATE_ID, EMPLOYEE_ID, CaseMaker, FileMaker

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_file_list_exports_the_filtered_files_with_masked_ids(
    archivist: User, make_file: FileMaker
) -> None:
    # given three files, two in the kitchen, one of them named like a formula
    make_file(employee_name="=张伟")
    make_file(employee_name="李娜")
    make_file(employee_name="王芳", department="客房部")
    url = reverse("personnel:files")
    client = _client(archivist)

    # when the list filtered to the kitchen is downloaded and shown
    rows = csv_rows(client.get(url, {"q": "餐饮部", "export": "csv"}))
    sheet = xlsx_sheet(client.get(url, {"q": "餐饮部", "export": "xlsx"}))
    page = client.get(url, {"q": "餐饮部"}).content.decode()

    # then both hold the same two files, the whole ID number in neither
    assert rows[0] == ["档案编号", "姓名", "身份证号", "部门", "岗位", "存放位置", "盒",
                       "状态"]  # fmt: skip
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("RS-001", "'=张伟"),
        ("RS-002", "李娜"),
    ]
    assert all(r[0] in page for r in rows[1:])
    assert "RS-003" not in page
    assert rows[1][2].endswith(EMPLOYEE_ID[-4:])
    assert EMPLOYEE_ID not in "".join(",".join(r) for r in rows)
    assert rows[1][2] in page
    assert sheet["B2"].value == "=张伟"
    assert sheet["B2"].data_type == "s"
    events = exports_of("personnel.files")
    assert [
        (e.detail["format"], e.detail["rows"], e.detail["query"]) for e in events
    ] == [
        ("csv", 2, "餐饮部"),
        ("xlsx", 2, "餐饮部"),
    ]


def test_the_register_exports_the_year_with_masked_requesters(
    archivist: User, handed_case: CaseMaker, checked_case: CaseMaker, prop: Property
) -> None:
    # given a file handed over to the employee and one checked for a delegate
    handed_case()
    checked_case("delegate")
    url = reverse("personnel:register")

    # when the year's register is downloaded
    rows = csv_rows(_client(archivist).get(url, {"export": "csv"}))

    # then both entries are there, the delegate's ID number masked
    year = prop.today().year
    assert [r[0] for r in rows[1:]] == [f"{year}-0001", f"{year}-0002"]
    assert rows[2][5] == "李娜"
    assert rows[2][6].endswith(DELEGATE_ID[-4:])
    assert DELEGATE_ID not in "".join(",".join(r) for r in rows)
    assert rows[1][12].startswith("交接 ")
    assert rows[2][12] == "待交接"
    assert exports_of("personnel.register")[0].detail == {
        "format": "csv",
        "rows": 2,
        "year": year,
    }


def test_the_receipts_export_lists_what_is_still_to_come_back(
    archivist: User, handed_case: CaseMaker, prop: Property
) -> None:
    # given a hand-over whose receipt was due two days ago
    handed = handed_case()
    SignOut.objects.filter(pk=handed.pk).update(
        receipt_due=prop.today() - timedelta(days=2)
    )
    url = reverse("personnel:receipts")

    rows = csv_rows(_client(archivist).get(url, {"export": "csv"}))

    assert rows[0][:3] == ["登记号", "档案编号", "姓名"]
    assert [(r[1], r[6]) for r in rows[1:]] == [("RS-001", "2")]
    assert exports_of("personnel.receipts")[0].detail["rows"] == 1


@pytest.mark.parametrize(
    "name", ["personnel:files", "personnel:register", "personnel:receipts"]
)
def test_staff_who_may_not_see_the_files_cannot_export_them(
    make_staff: StaffMaker, make_file: FileMaker, name: str
) -> None:
    make_file()
    desk = make_staff("front_office")

    response = _client(desk).get(reverse(name), {"export": "csv"})

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize(
    "name", ["personnel:files", "personnel:register", "personnel:receipts"]
)
def test_each_personnel_list_links_its_exports(archivist: User, name: str) -> None:
    page = _client(archivist).get(reverse(name)).content.decode()

    assert "export=xlsx" in page
    assert "export=csv" in page


def test_the_english_register_export_lists_the_checked_papers_as_the_page_does(
    archivist: User, handed_case: CaseMaker
) -> None:
    from tests.web.english import english_client

    # given a handed-over file with more than one paper checked
    handed_case()
    url = reverse("personnel:register")
    client = english_client(archivist)

    # when the register is downloaded in English
    rows = csv_rows(client.get(url, {"export": "csv"}))

    # then the checked papers are joined as English writes a list, as on the page
    papers = rows[1][11]
    assert "; " in papers
    assert "；" not in papers
    assert papers in client.get(url).content.decode()
