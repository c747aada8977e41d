"""Exports of the archive's lists: loans, approvals, holds, registers, trash, folders.

Each export holds the rows its page shows the same viewer — a case of a class hidden
from them is in neither —, keeps a title that looks like a formula as text, and is
audited with its row count.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from dossier.core.models import Property
from dossier.records.access import class_access_set
from dossier.records.disposal import register_propose
from dossier.records.loans import loan_request
from dossier.records.models import Case, DestructionRegister, SchemeVersion
from dossier.records.retention import preset_items, schedule_from_preset
from dossier.records.scheme import ClassChange, scheme_revise
from dossier.records.services import case_trash, hold_place
from tests.exporting import csv_rows, exports_of, exports_of_all, xlsx_sheet
from tests.records.conftest import FileCase, lend

pytestmark = pytest.mark.django_db

SECRET = "=高管薪酬协议"
PLAIN = "@客户框架合同"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Archive:
    secret: Case
    plain: Case
    register: DestructionRegister


@pytest.fixture
def archive(
    archivist: User,
    manager: User,
    file_case: FileCase,
    scheme: SchemeVersion,
    prop: Property,
) -> Archive:
    """Two cases of each kind, one in a class only 管理层 may see, one open.

    Old ones on a destruction register, current ones lent out and held, a third
    pair in the trash and a loan request waiting for the manager.
    """
    open_class = scheme.classes.get(full_code="01-0204")
    old = {"doc_date": date(2010, 3, 1), "retention_years": 1}
    file_case(title="高管旧合同", **old)
    file_case(title="客户旧合同", archive_class=open_class, **old)
    register = register_propose(actor=archivist, prop=prop)
    secret = file_case(title=SECRET).case
    plain = file_case(title=PLAIN, archive_class=open_class).case
    due = prop.today() + timedelta(days=3)
    for case in (secret, plain):
        lend(actor=archivist, case=case, borrower=archivist, due_date=due,
             approved_by=manager)  # fmt: skip
        hold_place(actor=manager, case=case, authority="=法院", reason="诉讼")
    for title, kind in (("高管废件", {}), ("客户废件", {"archive_class": open_class})):
        case_trash(actor=archivist, case=file_case(title=title, **kind).case)
    requested = file_case(title="-待批合同", archive_class=open_class).case
    loan_request(actor=archivist, case=requested, borrower=archivist, due_date=due,
                 approved_by=manager, purpose="+审计")  # fmt: skip
    class_access_set(
        actor=manager,
        archive_class=scheme.classes.get(full_code="01-0203"),
        groups=[Group.objects.get(name="管理层")],
    )
    return Archive(secret=secret, plain=plain, register=register)


def _urls(archive: Archive) -> dict[str, str]:
    folder_id = archive.plain.folder_id
    return {
        "records.loans": reverse("records:loans"),
        "records.holds": reverse("records:holds"),
        "records.registers": reverse("records:disposal"),
        "records.register": reverse("records:register", args=[archive.register.pk]),
        "records.trash": reverse("records:trash"),
        "records.folders": reverse("records:folders"),
        "records.folder": reverse("records:folder", args=[folder_id]),
    }


# The column of each export that names the case, the folder or the register.
KEY_COLUMN = {"records.registers": 0, "records.folders": 0, "records.folder": 1}

# An open folder holds the same rows for both viewers; other lists hold more for the
# permitted one.
SAME_FOR_BOTH = {"records.folder"}


@pytest.mark.parametrize(
    "what",
    [
        "records.loans",
        "records.holds",
        "records.register",
        "records.trash",
        "records.folders",
        "records.folder",
    ],
)
def test_an_archive_export_holds_the_rows_the_page_shows_and_no_hidden_case(
    archive: Archive, archivist: User, manager: User, what: str
) -> None:
    # given a viewer who may not see the first class, and one who may
    url = _urls(archive)[what]
    column = KEY_COLUMN.get(what, 0)

    # when each downloads the list as csv and opens the page
    denied = csv_rows(_client(archivist).get(url, {"export": "csv"}))
    allowed = csv_rows(_client(manager).get(url, {"export": "csv"}))
    page = _client(archivist).get(url).content.decode()

    # then the restricted viewer's file has only the open class, and each row's key
    # is on their page; the permitted viewer has more rows
    keys = [row[column] for row in denied[1:]]
    assert keys, denied
    assert all(key in page for key in keys)
    assert "高管" not in "".join(",".join(row) for row in denied)
    assert (len(allowed) > len(denied)) != (what in SAME_FOR_BOTH)


@pytest.mark.parametrize("what", ["records.folder"])
def test_a_hidden_folder_cannot_be_exported(
    archive: Archive, archivist: User, what: str
) -> None:
    hidden_folder = archive.secret.folder_id
    url = reverse("records:folder", args=[hidden_folder])

    response = _client(archivist).get(url, {"export": "csv"})

    assert response.status_code == 404
    assert exports_of(what) == []


def test_the_loans_export_lists_requests_and_loans_out_as_text(
    archive: Archive, archivist: User
) -> None:
    # when the archivist downloads the loans in both formats
    client = _client(archivist)
    url = reverse("records:loans")
    rows = csv_rows(client.get(url, {"export": "csv"}))
    sheet = xlsx_sheet(client.get(url, {"export": "xlsx"}))

    # then the open request and the open loan are there, their titles as text
    assert rows[0] == ["档号", "题名", "借阅人", "应还", "批准人", "状态", "逾期"]
    titles = sorted(row[1] for row in rows[1:])
    assert titles == ["'-待批合同", "'@客户框架合同"]
    cells = [sheet.cell(row=r, column=2) for r in range(2, sheet.max_row + 1)]
    assert sorted(c.value for c in cells) == ["-待批合同", "@客户框架合同"]
    assert {c.data_type for c in cells} == {"s"}
    events = exports_of("records.loans")
    assert [(e.actor_id, e.detail["format"], e.detail["rows"]) for e in events] == [
        (archivist.pk, "csv", 2),
        (archivist.pk, "xlsx", 2),
    ]


def test_the_approver_exports_the_requests_waiting_for_them(
    archive: Archive, manager: User
) -> None:
    url = reverse("records:loan_approvals")

    rows = csv_rows(_client(manager).get(url, {"export": "csv"}))

    assert rows[0][:3] == ["档号", "题名", "借阅人"]
    assert [(row[1], row[6]) for row in rows[1:]] == [("'-待批合同", "'+审计")]
    assert exports_of("records.loan_approvals")[0].detail["rows"] == 1


def test_the_holds_export_keeps_the_authority_as_text(
    archive: Archive, manager: User
) -> None:
    url = reverse("records:holds")

    sheet = xlsx_sheet(_client(manager).get(url, {"export": "xlsx"}))

    authorities = {sheet.cell(row=r, column=3).value for r in range(2, 4)}
    assert authorities == {"=法院"}
    assert sheet.cell(row=2, column=3).data_type == "s"
    assert sheet.max_row == 3


def test_the_register_list_export_is_audited(archive: Archive, manager: User) -> None:
    url = reverse("records:disposal")

    rows = csv_rows(_client(manager).get(url, {"export": "csv"}))

    assert rows[0][:3] == ["清册号", "截止日期", "状态"]
    assert [row[0] for row in rows[1:]] == [str(archive.register.pk)]
    assert exports_of("records.registers")[0].detail["rows"] == 1


def test_each_archive_page_links_its_exports(archive: Archive, manager: User) -> None:
    client = _client(manager)
    others = ["records:loan_approvals", "records:codes", "records:scheme_versions"]
    for url in [*_urls(archive).values(), *(reverse(name) for name in others)]:
        page = client.get(url).content.decode()
        assert "export=xlsx" in page, url
        assert "export=csv" in page, url


def test_the_scheme_lists_export_with_a_formula_name_as_text(
    scheme: SchemeVersion, archivist: User
) -> None:
    # given a revision that renames a class to something a spreadsheet would run
    revised = scheme_revise(
        actor=archivist,
        version=scheme,
        name="2026 修订",
        changes=[ClassChange("rename", "01-0203", name="=供应商合同", note="+外包")],
    )
    client = _client(archivist)

    # when the code table, the versions and the old→new table are downloaded
    codes = csv_rows(client.get(reverse("records:codes"), {"export": "csv"}))
    versions = csv_rows(
        client.get(reverse("records:scheme_versions"), {"export": "csv"})
    )
    mapping = xlsx_sheet(
        client.get(
            reverse("records:scheme_mapping", args=[revised.pk]), {"export": "xlsx"}
        )
    )

    # then each lists what its page does, the new name as text
    assert codes[0] == ["层级", "代码", "完整代码", "名称"]
    assert ["3", "03", "01-0203", "'=供应商合同"] in codes
    assert [(r[0], r[3]) for r in versions[1:]] == [("2", "现行"), ("1", "已被取代")]
    renamed = [
        [c.value for c in row]
        for row in mapping.iter_rows(min_row=2)
        if row[0].value == "01-0203"
    ]
    assert renamed[0][3] == "=供应商合同"
    assert renamed[0][5] == "+外包"
    assert [e.object_type for e in exports_of_all()] == [
        "records.codes",
        "records.scheme_versions",
        "records.scheme_mapping",
    ]


def test_a_retention_schedule_exports_its_items(
    archivist: User, prop: Property
) -> None:
    name, items = preset_items("accounting")
    schedule = schedule_from_preset(
        prop=prop, name=name, preset="accounting", items=items
    )
    url = reverse("records:schedule", args=[schedule.pk])
    client = _client(archivist)

    rows = csv_rows(client.get(url, {"export": "csv"}))
    page = client.get(url).content.decode()

    assert rows[0] == ["类目", "文件", "保管期限", "法定最低", "附注"]
    assert len(rows) - 1 == len(items)
    assert all(row[1] in page for row in rows[1:])
    assert "export=csv" in page
    assert exports_of("records.schedule")[0].detail["schedule"] == schedule.pk


def test_the_retention_schedules_index_exports_as_on_screen(
    archivist: User, prop: Property
) -> None:
    # given two schedules, one with a line below its legal minimum
    name, items = preset_items("accounting")
    accounting = schedule_from_preset(
        prop=prop, name=name, preset="accounting", items=items
    )
    short = accounting.items.filter(minimum_years__gt=1).first()
    assert short is not None
    short.years = 1
    short.save()
    other = schedule_from_preset(
        prop=prop, name="=本店期限表", preset="accounting", items=items[:2]
    )
    other.is_default = True
    other.save()
    url = reverse("records:schedules")
    client = _client(archivist)

    # when the index is shown and exported
    page = client.get(url).content.decode()
    rows = csv_rows(client.get(url, {"export": "csv"}))
    sheet = xlsx_sheet(client.get(url, {"export": "xlsx"}))

    # then each schedule is a row in the page's order, the default first
    assert rows == [
        ["名称", "默认", "条数", "低于法定最低年限"],
        ["'=本店期限表", "是", "2", "0"],
        [name, "否", str(len(items)), "1"],
    ]
    assert "export=csv" in page
    assert sheet["A2"].value == "=本店期限表"
    assert sheet["A2"].data_type == "s"
    assert [e.detail["rows"] for e in exports_of("records.schedules")] == [2, 2]
