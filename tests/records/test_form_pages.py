"""The archive's forms look like the rest of the product: the shared field
template, required marks, labels in Chinese, unique ids, and no database ids."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dossier.records.attachments import attachment_upload
from dossier.records.models import Case
from tests.records.conftest import FileCase
from tests.transfer.files import media, pdf_bytes, upload

pytestmark = pytest.mark.django_db
__all__ = ["media"]


def _page(user: User, url: str, params: dict[str, object] | None = None) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


def _ids(page: str) -> Counter[str]:
    return Counter(re.findall(r'\sid="([^"]+)"', page))


@pytest.fixture
def case(file_case: FileCase) -> Case:
    filed: Case = file_case(title="年度洗涤服务合同").case
    return filed


def test_the_filing_form_uses_the_shared_field_template(archivist: User) -> None:
    page = _page(archivist, reverse("records:case_file"))

    assert re.search(
        r'<label for="id_archive_class">类别 <span class="required" aria-hidden="true">'
        r"\*</span></label>",
        page,
    )
    assert re.search(r'<label for="id_title">题名 <span class="required"', page)
    assert "类别:" not in page
    assert "题名:" not in page


def test_the_case_page_has_unique_ids_and_each_label_finds_its_field(
    archivist: User, case: Case
) -> None:
    page = _page(archivist, reverse("records:case_detail", args=[case.pk]))

    ids = _ids(page)
    assert [name for name, count in ids.items() if count > 1] == []
    assert {"hold_reason", "trash_reason"} <= set(ids)
    labels = re.findall(r'<label for="([^"]+)"', page)
    assert [target for target in labels if target not in ids] == []


def test_the_attachment_list_names_the_type_and_shows_the_note(
    media: Path, archivist: User, case: Case
) -> None:
    attachment_upload(
        actor=archivist,
        case=case,
        upload=upload("合同.pdf", pdf_bytes("年度洗涤服务合同")),
        note="盖章扫描件",
    )

    page = _page(archivist, reverse("records:attachments", args=[case.pk]))

    assert ">PDF 文档</td>" in page
    assert ">application/pdf<" not in page
    assert "<td>盖章扫描件</td>" in page
    assert re.search(r'<label for="id_file">[^<]*<span class="required"', page)
    assert ":</label>" not in page


def test_the_send_page_names_the_case_not_its_database_id(
    archivist: User, case: Case
) -> None:
    page = _page(archivist, reverse("transfer:send"), {"kind": "case", "id": case.pk})

    assert f"<dd>案件 · {case.archive_number} 年度洗涤服务合同</dd>" in page
    assert f'<input type="hidden" name="item_id" value="{case.pk}"' in page
    assert "编号" not in page
    assert re.search(r'<label for="id_user">同事用户名</label>', page)
