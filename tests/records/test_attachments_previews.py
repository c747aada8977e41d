"""Previews: image thumbnails, a PDF's first page (or its text without pdftoppm),
and docx and text shown as escaped text."""

import io
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from PIL import Image

from dossier.records import previews
from dossier.records.attachments import attachment_upload
from dossier.records.models import AttachmentVersion, Case
from tests.records.conftest import FileCase
from tests.transfer.files import docx_bytes, media, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db
__all__ = ["media"]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(file_case: FileCase) -> Case:
    filed: Case = file_case(title="客房改造合同").case
    return filed


def _urls(version: AttachmentVersion) -> tuple[str, str]:
    args = [version.attachment.case_id, version.attachment_id]
    return (
        reverse("records:attachment_preview", args=args),
        reverse("records:attachment_thumbnail", args=args),
    )


def test_an_image_gets_a_png_thumbnail_no_larger_than_480(
    archivist: User, case: Case, media: Path
) -> None:
    version = attachment_upload(
        actor=archivist,
        case=case,
        upload=upload("现场照片.png", png_bytes((1200, 800))),
    )
    page_url, thumb_url = _urls(version)

    page = _client(archivist).get(page_url).content.decode()
    thumb = _client(archivist).get(thumb_url + "?version=1")

    image = Image.open(io.BytesIO(b"".join(thumb.streaming_content)))  # type: ignore[attr-defined]
    assert (image.format, image.size) == ("PNG", (480, 320))
    assert thumb["Content-Type"] == "image/png"
    assert thumb["X-Content-Type-Options"] == "nosniff"
    assert thumb_url in page


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils absent")
def test_a_pdf_gets_its_first_page_drawn_when_pdftoppm_is_there(
    archivist: User, case: Case, media: Path
) -> None:
    version = attachment_upload(
        actor=archivist, case=case, upload=upload("合同.pdf", pdf_bytes("客房改造合同"))
    )

    thumb = _client(archivist).get(_urls(version)[1])

    image = Image.open(io.BytesIO(b"".join(thumb.streaming_content)))  # type: ignore[attr-defined]
    assert thumb.status_code == 200
    assert image.format == "PNG"
    assert max(image.size) <= 480


def test_without_pdftoppm_a_pdf_shows_its_text_instead(
    archivist: User, case: Case, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(previews, "pdftoppm_path", lambda: None)

    version = attachment_upload(
        actor=archivist, case=case, upload=upload("合同.pdf", pdf_bytes("客房改造合同"))
    )
    page_url, thumb_url = _urls(version)
    page = _client(archivist).get(page_url)

    assert version.preview_path == ""
    assert page.status_code == 200
    assert "客房改造合同" in page.content.decode()
    assert _client(archivist).get(thumb_url).status_code == 404


def test_a_failing_pdftoppm_does_not_stop_the_upload(
    archivist: User, case: Case, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(previews, "pdftoppm_path", lambda: "/bin/false")

    version = attachment_upload(
        actor=archivist, case=case, upload=upload("合同.pdf", pdf_bytes("改造"))
    )

    assert (version.preview_path, version.attachment.text.strip()) == ("", "改造")


def test_docx_and_text_are_previewed_as_escaped_text(
    archivist: User, case: Case, media: Path
) -> None:
    doc = attachment_upload(
        actor=archivist,
        case=case,
        upload=upload("纪要.docx", docx_bytes("会议纪要", "<script>alert(1)</script>")),
    )
    text = attachment_upload(
        actor=archivist,
        case=case,
        upload=upload(
            "说明.txt", "<img src=x onerror=alert(2)> 说明".encode("gb18030")
        ),
    )

    doc_page = _client(archivist).get(_urls(doc)[0]).content.decode()
    text_page = _client(archivist).get(_urls(text)[0]).content.decode()

    assert "会议纪要" in doc_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc_page
    assert "<script>alert(1)" not in doc_page
    assert "&lt;img src=x onerror=alert(2)&gt; 说明" in text_page


def test_a_broken_image_is_kept_without_a_thumbnail(
    archivist: User, case: Case, media: Path
) -> None:
    version = attachment_upload(
        actor=archivist,
        case=case,
        upload=upload("坏图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
    )

    page = _client(archivist).get(_urls(version)[0])

    assert (version.content_type, version.preview_path) == ("image/png", "")
    assert "此类型的文件无法预览，请下载后查看。" in page.content.decode()
