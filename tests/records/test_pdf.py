"""The printable PDFs: opened with pypdf, they show the numbers, titles and dates."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dossier.core.models import Property
from dossier.records import pdf, printing
from dossier.records.disposal import entry_keep_part, register_propose
from dossier.records.models import ArchiveClass, Case, Folder, SchemeVersion
from dossier.records.services import CaseDraft, IntakeInput, case_file, hold_place
from tests.records.conftest import FileCase

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    """The text of every page; lines a table cell wrapped are joined again."""
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_catalogue_lists_numbers_titles_dates_and_destruction(
    prop: Property, archivist: User, file_case: FileCase
) -> None:
    # given two filed cases, one of them destroyed
    first = file_case(title="供应商框架协议", doc_date=date(2014, 3, 9)).case
    file_case(title="年度采购合同", doc_date=date(2025, 6, 1))
    Case.objects.filter(pk=first.pk).update(
        status="destroyed",
        destroyed_at=date(2025, 1, 2),
        destruction_note="2025-01-02 销毁",
    )

    # when the catalogue is printed
    text = _text(printing.catalogue(prop, viewer=archivist).content)

    # then every number, title and date is on it
    assert "案卷目录" in text
    assert "01-02031-01" in text
    assert "01-02031-02" in text
    assert "供应商框架协议" in text
    assert "年度采购合同" in text
    assert "2014-03-09" in text
    assert "2025-06-01" in text
    assert "2025-01-01" in text
    assert "2036-01-01" in text
    assert "2025-01-02 销毁" in text
    assert "共 2 件" in text


def test_the_folder_contents_are_in_item_order(
    prop: Property, archivist: User, file_case: FileCase
) -> None:
    file_case(title="第一份合同")
    file_case(title="第二份合同", doc_date=date(2025, 7, 4))
    folder = Folder.objects.get()

    document = printing.folder_contents(prop, folder.pk, viewer=archivist)

    assert document is not None
    text = _text(document.content)
    assert "目次表" in text
    assert "01-0203 供应商合同 · 第 1 卷 · 2/50 件" in text
    assert text.index("第一份合同") < text.index("第二份合同")
    assert "01-02031-02" in text
    assert "2025-07-04" in text


def test_spine_labels_put_eight_folders_on_a_sheet(
    prop: Property, archivist: User, minor: ArchiveClass, file_case: FileCase
) -> None:
    # given nine full folders of one case each
    ArchiveClass.objects.filter(pk=minor.pk).update(folder_capacity=1)
    for number in range(9):
        file_case(title=f"合同{number}", doc_date=date(2016 + number % 3, 1, 5))

    # when the spines are printed
    reader = PdfReader(io.BytesIO(printing.spines(prop, viewer=archivist).content))

    # then two sheets: eight labels on the first, one on the second
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text()
    assert first.count("01-0203") >= 8
    assert "第 1 卷" in first
    assert "第 8 卷" in first
    assert "第 9 卷" in reader.pages[1].extract_text()
    assert "01-02039-01" in reader.pages[1].extract_text()


def test_the_code_table_prints_the_reserved_gaps(scheme: SchemeVersion) -> None:
    document = printing.codes(scheme.property)

    assert document is not None
    text = _text(document.content)
    assert "档案分类编号表" in text
    assert "第 1 版" in text
    assert "01-0203" in text
    assert "供应商合同" in text
    assert "客户合同" in text
    assert "05–99" in text
    assert "预留" in text


def test_the_register_lists_what_is_destroyed_kept_and_excluded_with_signatures(
    prop: Property, archivist: User, file_case: FileCase
) -> None:
    # given three cases past retention: one whole, one in part, one on hold
    whole = file_case(title="过期报价单", doc_date=date(2010, 5, 1), retention_years=1)
    part = file_case(title="旧合同", doc_date=date(2010, 6, 1), retention_years=1)
    held = file_case(title="涉诉合同", doc_date=date(2010, 7, 1), retention_years=1)
    hold_place(actor=archivist, case=held.case, authority="区法院", reason="诉讼未结")
    register = register_propose(actor=archivist, prop=prop, as_of=date(2025, 1, 1))
    entry_keep_part(
        actor=archivist,
        entry=register.entries.get(case=part.case),
        kept_note="签字页",
    )

    # when the register is printed
    document = printing.register(prop, register.pk, viewer=archivist)

    # then each case shows what is done to it, and the signature fields are there
    assert document is not None
    text = _text(document.content)
    assert "档案销毁清册" in text
    assert "截止 2025-01-01" in text
    assert whole.case.archive_number in text
    assert "过期报价单" in text
    assert "拟部分销毁，保留：签字页" in text
    assert "排除：保全中：区法院，诉讼未结" in text
    assert "列入销毁 2 件，排除 1 件" in text
    for field in ("编制人（档案专管）", "总经理批准", "监销人", "销毁日期"):
        assert field in text
    assert "archivist" in text


def test_the_cid_font_is_used_when_the_font_file_is_missing(tmp_path: Path) -> None:
    assert pdf.font_name(tmp_path / "missing.ttc") == pdf.CID_FONT


def test_the_embedded_font_is_used_when_present() -> None:
    if not pdf.DEFAULT_FONT_PATH.is_file():
        pytest.skip("no WenQuanYi font on this machine")
    assert pdf.font_name(pdf.DEFAULT_FONT_PATH) == pdf.EMBEDDED_FONT


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("catalogue_pdf", []),
        ("codes_pdf", []),
        ("spines_pdf", []),
        ("folder_pdf", ["folder"]),
        ("register_pdf", ["register"]),
    ],
)
def test_every_pdf_downloads_from_the_pages_and_not_for_a_waiter(
    name: str,
    args: list[str],
    prop: Property,
    archivist: User,
    waiter: User,
    file_case: FileCase,
) -> None:
    file_case(doc_date=date(2010, 1, 5), retention_years=1)
    ids = {
        "folder": Folder.objects.get().pk,
        "register": register_propose(actor=archivist, prop=prop).pk,
    }
    url = reverse(f"records:{name}", args=[ids[a] for a in args])

    response = _client(archivist).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert _client(waiter).get(url).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/records/print/catalogue.pdf",
        "/api/v1/records/print/codes.pdf",
        "/api/v1/records/print/spines.pdf",
        "/api/v1/records/print/folders/{folder}/contents.pdf",
        "/api/v1/records/print/registers/{register}.pdf",
    ],
)
def test_every_pdf_downloads_from_the_api(
    path: str, prop: Property, archivist: User, waiter: User, file_case: FileCase
) -> None:
    file_case(title="接口打印的合同", doc_date=date(2010, 1, 5), retention_years=1)
    url = path.format(
        folder=Folder.objects.get().pk,
        register=register_propose(actor=archivist, prop=prop).pk,
    )

    response = _client(archivist).get(url)

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert _client(waiter).get(url).status_code == 403


def test_a_folder_of_another_property_is_not_found(
    prop: Property, archivist: User, file_case: FileCase
) -> None:
    file_case()
    folder = Folder.objects.get()
    other = Property.objects.create(code="other", name="别的酒店")

    assert printing.folder_contents(other, folder.pk, viewer=archivist) is None
    assert (
        _client(archivist)
        .get(reverse("records:folder_pdf", args=[folder.pk + 1000]))
        .status_code
        == 404
    )


def test_a_long_catalogue_keeps_every_row_across_pages(
    prop: Property, archivist: User, minor: ArchiveClass, file_case: FileCase
) -> None:
    # given more cases than one table holds
    ArchiveClass.objects.filter(pk=minor.pk).update(folder_capacity=99)
    count = pdf.CHUNK_ROWS + 5
    for number in range(count):
        file_case(title=f"合同第{number + 1}号")

    # when the catalogue is printed
    reader = PdfReader(io.BytesIO(printing.catalogue(prop, viewer=archivist).content))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")

    # then it runs to a second page and no row is lost
    assert len(reader.pages) >= 2
    for number in range(1, count + 1):
        assert f"01-02031-{number:02d}" in text


def test_a_return_slip_prints_the_department_the_reasons_and_the_signatures(
    archivist: User, waiter: User, minor: ArchiveClass, manager: User
) -> None:
    from django.contrib.auth.models import Group

    from dossier.records.access import class_access_set
    from dossier.records.services import CaseDraft, IntakeInput, case_file

    # given a case returned for missing attachments and unrelated papers
    returned = case_file(
        actor=archivist,
        draft=CaseDraft(archive_class=minor, title="设备采购合同", department="工程部"),
        intake=IntakeInput(attachments_complete=False, unrelated_documents="会议通知"),
    )
    assert returned.slip is not None
    case, slip = returned.case, returned.slip
    url = reverse("records:return_slip_pdf", args=[case.pk, slip.pk])
    api = f"/api/v1/records/print/cases/{case.pk}/slips/{slip.pk}.pdf"

    # when it is downloaded from the page and the API
    page = _client(archivist).get(url)
    by_api = _client(archivist).get(api)

    # then it names the department, the case, each reason and the fields to sign
    text = _text(page.content)
    for words in (
        "档案退件单",
        "退回部门工程部",
        "设备采购合同",
        "1. 附件短少，请追查归入",
        "2. 与本案无关、退回的文件：会议通知",
        "经办部门签收",
    ):
        assert words in text, words
    assert by_api.content[:5] == page.content[:5] == b"%PDF-"
    # and it is not found for a waiter's role or once the class is hidden
    assert _client(waiter).get(url).status_code == 403
    class_access_set(
        actor=manager, archive_class=minor, groups=[Group.objects.get(name="管理层")]
    )
    assert _client(archivist).get(url).status_code == 404
    assert _client(archivist).get(api).status_code == 404


def test_the_catalogue_lists_only_filed_cases_and_counts_them(
    prop: Property, archivist: User, minor: ArchiveClass, file_case: FileCase
) -> None:
    # given a filed case and a permanent one returned to its department at intake
    file_case(title="年度采购合同")
    case_file(
        actor=archivist,
        draft=CaseDraft(
            archive_class=minor, title="测试抽存", department="采购部", doc_date=None
        ),
        intake=IntakeInput(body_complete=False),
    )

    # when the catalogue is printed and listed
    text = _text(printing.catalogue(prop, viewer=archivist).content)
    page = _client(archivist).get(reverse("records:cases")).content.decode()
    returned = _client(archivist).get(reverse("records:cases"), {"status": "returned"})

    # then only the filed case is on either, and the count says so
    assert "年度采购合同" in text
    assert "测试抽存" not in text
    assert "共 1 件" in text
    assert ("年度采购合同" in page, "测试抽存" in page) == (True, False)
    # the returned case is found by asking for it, outside the catalogue
    listed = returned.content.decode()
    assert "测试抽存" in listed
    assert "所列案件未归档，不在案卷目录内。" in listed
    assert "下载 PDF（案卷目录）" not in listed


def test_the_register_keeps_dates_and_headings_whole_and_stays_chinese_in_english(
    prop: Property, archivist: User, manager: User, file_case: FileCase
) -> None:
    # given an executed register with a long note of what was kept
    from django.utils import translation

    from dossier.records.disposal import register_approve, register_execute

    file_case(title="2015 年党务工作简报（第 1 期）", doc_date=date(2015, 3, 9),
              retention_years=1)  # fmt: skip
    register = register_propose(actor=archivist, prop=prop, as_of=date(2025, 1, 1))
    entry_keep_part(
        actor=archivist,
        entry=register.entries.get(),
        destroyed_part="会议发言草稿、重复的复印件、签到表、会议通知、领导讲话提纲",
        kept_note="会议纪要正本",
    )
    register_approve(actor=manager, register=register)
    register_execute(
        actor=archivist,
        register=register,
        confirmation=str(register.pk),
        witnesses="王监",
    )

    # when it is printed in an English session
    with translation.override("en"):
        document = printing.register(prop, register.pk, viewer=archivist)

    # then it is in Chinese, and no date, heading or number is broken over two lines
    assert document is not None
    reader = PdfReader(io.BytesIO(document.content))
    lines = [line.strip() for line in reader.pages[0].extract_text().splitlines()]
    text = "".join(lines)
    assert "已销毁" in text
    assert "Destroyed" not in text
    words = " ".join(lines).split()
    for whole in ("保管期限", "文件日期", "期满日期", "2015-03-09", "2017-01-01"):
        assert whole in words, whole
    assert [line for line in lines if line[:1] in "、，。；：）"] == []
