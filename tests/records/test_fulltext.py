"""Full text: extraction from real PDF, docx and text files, and search of the
catalogue for two-character Chinese words, on SQLite and PostgreSQL alike."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dossier.core.models import Property
from dossier.records.attachments import attachment_upload
from dossier.records.fulltext import text_extract, text_keys
from dossier.records.models import AttachmentKey, Case
from dossier.records.selectors import cases_list
from tests.records.conftest import FileCase
from tests.transfer.files import docx_bytes, media, pdf_bytes, upload

pytestmark = pytest.mark.django_db
__all__ = ["media"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_text_of_a_pdf_with_a_cjk_font_is_read(tmp_path: Path) -> None:
    path = tmp_path / "f.pdf"
    path.write_bytes(pdf_bytes("供应商采购合同", "发票编号 INV2025-001"))

    assert text_extract(path, "application/pdf") == (
        "供应商采购合同\n发票编号 INV2025-001\n"
    )


def test_the_text_of_a_docx_includes_its_tables(tmp_path: Path) -> None:
    path = tmp_path / "f.docx"
    path.write_bytes(
        docx_bytes("宴会合同", table=[["项目", "金额"], ["场地费", "8000"]])
    )

    assert text_extract(path, DOCX) == "宴会合同\n项目\t金额\n场地费\t8000"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_plain_text_is_read_in_utf8_or_gb18030(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes("退房发票已开具".encode(encoding))

    assert text_extract(path, "text/plain") == "退房发票已开具"


def test_a_damaged_pdf_gives_no_text_and_no_error(tmp_path: Path) -> None:
    path = tmp_path / "f.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really a pdf")

    assert text_extract(path, "application/pdf") == ""


def test_keys_are_two_character_words_and_latin_terms() -> None:
    assert text_keys(["采购合同 INV-7"]) == {
        "w:采购",
        "w:购合",
        "w:合同",
        "t:inv",
    }


@pytest.fixture
def three_cases(archivist: User, file_case: FileCase, media: Path) -> list[Case]:
    """A PDF contract, a docx with an invoice, and a text file with neither."""
    cases: list[Case] = [file_case(title=t).case for t in ("甲", "乙", "丙")]
    attachment_upload(
        actor=archivist,
        case=cases[0],
        upload=upload("a.pdf", pdf_bytes("供应商采购合同书", "签订日期 2025年6月1日")),
    )
    attachment_upload(
        actor=archivist,
        case=cases[1],
        upload=upload("b.docx", docx_bytes("增值税发票", "開票日期 2025-06-02")),
    )
    attachment_upload(
        actor=archivist,
        case=cases[2],
        upload=upload("c.txt", "客房部交接班记录".encode("gb18030")),
    )
    return cases


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("合同", ["甲"]),
        ("发票", ["乙"]),
        ("采购合同", ["甲"]),
        ("合同发票", []),
        ("开票", ["乙"]),
        ("交接", ["丙"]),
        ("记", ["丙"]),
        ("2025", ["甲", "乙"]),
        ("inv", []),
        ("酒店", []),
    ],
)
def test_the_catalogue_finds_cases_by_the_words_of_their_files(
    prop: Property,
    archivist: User,
    three_cases: list[Case],
    query: str,
    titles: list[str],
) -> None:
    found = cases_list(prop, viewer=archivist, query=query)

    assert sorted(case.title for case in found) == sorted(titles)


def test_the_list_page_and_the_api_search_full_text(
    archivist: User, three_cases: list[Case]
) -> None:
    client = _client(archivist)

    page = client.get(reverse("records:cases"), {"q": "发票"}).content.decode()
    api = client.get("/api/v1/records/cases", {"q": "合同"}).json()

    assert three_cases[1].archive_number in page
    assert three_cases[0].archive_number not in page
    assert [c["title"] for c in api] == ["甲"]


def test_a_new_version_replaces_the_searched_text(
    prop: Property, archivist: User, three_cases: list[Case]
) -> None:
    first = three_cases[0].attachments.get()

    attachment_upload(
        actor=archivist,
        case=three_cases[0],
        upload=upload("a.txt", "租赁协议".encode()),
        attachment=first,
    )

    assert [c.title for c in cases_list(prop, viewer=archivist, query="合同")] == []
    assert [c.title for c in cases_list(prop, viewer=archivist, query="租赁")] == ["甲"]
    assert not AttachmentKey.objects.filter(attachment=first, key="w:合同").exists()
