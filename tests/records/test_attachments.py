"""Attachments: checksums while streaming, versions, limits, sniffed types, safe
names, downloads that cannot run in the browser, and the check on every download."""

import hashlib
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from dossier.core.models import AuditEvent
from dossier.records.attachments import attachment_upload, safe_name, sniff
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import Attachment, AttachmentVersion, Case
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
    result = file_case(title="供应商框架协议")
    filed: Case = result.case
    return filed


def test_an_upload_is_stored_with_its_sha256_under_a_name_the_product_makes(
    archivist: User, case: Case, media: Path
) -> None:
    content = pdf_bytes("供应商采购合同")

    version = attachment_upload(
        actor=archivist, case=case, upload=upload("../../etc/采购合同.pdf", content)
    )

    stored = media / version.stored_path
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert (version.size, version.number, version.original_name) == (
        len(content),
        1,
        "采购合同.pdf",
    )
    assert stored.read_bytes() == content
    assert stored.parent == media / "records" / str(case.pk) / str(
        version.attachment_id
    )
    assert "采购" not in stored.name
    assert ".." not in version.stored_path
    assert list(stored.parent.glob("incoming-*")) == []
    event = AuditEvent.objects.get(action="records.attachment_uploaded")
    assert event.detail["sha256"] == version.sha256


def test_a_new_upload_of_an_attachment_keeps_the_old_version(
    archivist: User, case: Case, media: Path
) -> None:
    first = attachment_upload(
        actor=archivist, case=case, upload=upload("合同.txt", "第一稿".encode())
    )

    second = attachment_upload(
        actor=archivist,
        case=case,
        upload=upload("合同-修订.txt", "第二稿".encode()),
        attachment=first.attachment,
        note="修订价格",
    )

    attachment = Attachment.objects.get()
    versions = list(attachment.versions.order_by("number"))
    assert [(v.number, v.original_name) for v in versions] == [
        (1, "合同.txt"),
        (2, "合同-修订.txt"),
    ]
    assert (media / first.stored_path).read_bytes() == "第一稿".encode()
    assert (media / second.stored_path).read_bytes() == "第二稿".encode()
    assert (attachment.name, attachment.text, second.note) == (
        "合同-修订.txt",
        "第二稿",
        "修订价格",
    )


def test_a_file_over_the_limit_is_refused_with_the_limit_and_leaves_nothing(
    archivist: User, case: Case, media: Path, settings: SettingsWrapper
) -> None:
    settings.DOSSIER_ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024

    with pytest.raises(RecordsError) as raised:
        attachment_upload(
            actor=archivist,
            case=case,
            upload=upload("扫描件.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024)),
        )

    assert raised.value.code == RecordsErrorCode.FILE_TOO_LARGE
    assert raised.value.message == "文件“扫描件.pdf”超过上限 2 MB，未保存"
    assert Attachment.objects.count() == 0
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_an_empty_file_is_refused(archivist: User, case: Case, media: Path) -> None:
    with pytest.raises(RecordsError) as raised:
        attachment_upload(actor=archivist, case=case, upload=upload("空.txt", b""))

    assert raised.value.message == "文件“空.txt”是空文件，未保存"
    assert AttachmentVersion.objects.count() == 0


def test_the_web_form_shows_the_size_error_on_the_page(
    archivist: User, case: Case, media: Path, settings: SettingsWrapper
) -> None:
    settings.DOSSIER_ATTACHMENT_MAX_BYTES = 1024 * 1024
    url = reverse("records:attachments", args=[case.pk])

    response = _client(archivist).post(
        url, {"file": upload("大文件.txt", b"a" * (1024 * 1024 + 1))}
    )

    assert response.status_code == 422
    assert "文件“大文件.txt”超过上限 1 MB，未保存" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_a_manager_who_may_see_but_not_file_cannot_upload(
    archivist: User, manager: User, case: Case, media: Path
) -> None:
    with pytest.raises(RecordsError) as raised:
        attachment_upload(actor=manager, case=case, upload=upload("a.txt", b"abc"))

    response = _client(manager).post(
        reverse("records:attachments", args=[case.pk]),
        {"file": upload("a.txt", b"abc")},
    )

    assert raised.value.code == RecordsErrorCode.NOT_PERMITTED
    assert response.status_code == 403
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.4\n...", "application/pdf"),
        (png_bytes((10, 10)), "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"<!DOCTYPE html><html><script>alert(1)</script>", "text/html"),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">',
            "image/svg+xml",
        ),
        ("合同正文".encode(), "text/plain"),
        ("合同正文".encode("gb18030"), "text/plain"),
        (b"\x00\x01\x02\x03binary", "application/octet-stream"),
    ],
)
def test_the_type_comes_from_the_bytes(
    content: bytes, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "f"
    path.write_bytes(content)

    assert sniff(content, path) == expected


def test_a_docx_is_told_from_another_zip(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(docx_bytes("会议纪要"))

    assert sniff(path.read_bytes()[:8192], path) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_a_claimed_type_and_extension_are_not_trusted(
    archivist: User, case: Case, media: Path
) -> None:
    page = b"<html><body><script>alert(document.cookie)</script></body></html>"

    version = attachment_upload(
        actor=archivist, case=case, upload=upload("发票.pdf", page, "application/pdf")
    )

    assert version.content_type == "text/html"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("C:\\Users\\张三\\桌面\\发票.pdf", "发票.pdf"),
        ("../../合同.docx", "合同.docx"),
        ('a<b>:"c"|?*.txt', "a_b___c____.txt"),
        ("...", "附件"),
        ("", "附件"),
        ("\u200b报告\x00.pdf", "\u200b报告_.pdf"),
        ("长" * 200 + ".pdf", "长" * 116 + ".pdf"),
    ],
)
def test_names_are_made_safe_and_chinese_is_kept(given: str, kept: str) -> None:
    assert safe_name(given) == kept


def test_a_download_has_the_checked_file_and_headers_that_cannot_run_it(
    archivist: User, case: Case, media: Path
) -> None:
    page = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"
    version = attachment_upload(
        actor=archivist, case=case, upload=upload("平面图.svg", page, "image/svg+xml")
    )
    url = reverse("records:attachment_download", args=[case.pk, version.attachment_id])

    response = _client(archivist).get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == page  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('平面图.svg')}"
    )
    assert (
        AuditEvent.objects.filter(action="records.attachment_downloaded").count() == 1
    )


def test_an_older_version_can_be_downloaded(
    archivist: User, case: Case, media: Path
) -> None:
    first = attachment_upload(
        actor=archivist, case=case, upload=upload("a.txt", b"version one")
    )
    attachment_upload(
        actor=archivist,
        case=case,
        upload=upload("a.txt", b"version two"),
        attachment=first.attachment,
    )
    url = reverse("records:attachment_download", args=[case.pk, first.attachment_id])

    old = _client(archivist).get(url + "?version=1")
    new = _client(archivist).get(url)
    missing = _client(archivist).get(url + "?version=3")

    assert b"".join(old.streaming_content) == b"version one"  # type: ignore[attr-defined]
    assert b"".join(new.streaming_content) == b"version two"  # type: ignore[attr-defined]
    assert missing.status_code == 404


@pytest.mark.parametrize("damage", ["changed", "deleted"])
def test_a_damaged_file_is_reported_and_not_served(
    archivist: User, case: Case, media: Path, damage: str
) -> None:
    version = attachment_upload(
        actor=archivist, case=case, upload=upload("合同.txt", "原件内容".encode())
    )
    stored = media / version.stored_path
    if damage == "changed":
        stored.write_bytes("篡改内容".encode())
    else:
        stored.unlink()
    url = reverse("records:attachment_download", args=[case.pk, version.attachment_id])

    page = _client(archivist).get(url)
    api = _client(archivist).get(
        f"/api/v1/records/cases/{case.pk}/attachments/{version.attachment_id}/download"
    )

    what = "与上传时的校验值不符" if damage == "changed" else "缺失"
    message = (
        f"附件“合同.txt”第 1 版存储的文件{what}，已记录并停止提供，请联系档案管理员"
    )
    assert page.status_code == 409
    assert message in page.content.decode()
    assert "篡改内容" not in page.content.decode()
    assert api.status_code == 409
    assert api.json()["message"] == message
    failures = AuditEvent.objects.filter(action="records.attachment_checksum_failed")
    assert [e.detail["problem"] for e in failures] == [
        "mismatch" if damage == "changed" else "missing"
    ] * 2


def test_the_versions_page_lists_every_version_and_takes_a_new_one(
    archivist: User, case: Case, media: Path
) -> None:
    first = attachment_upload(
        actor=archivist, case=case, upload=upload("纪要.txt", b"v1")
    )
    url = reverse("records:attachment", args=[case.pk, first.attachment_id])

    response = _client(archivist).post(url, {"file": upload("纪要.txt", b"v2")})
    page = _client(archivist).get(url).content.decode()

    assert response.status_code == 302
    assert first.attachment.versions.count() == 2
    assert page.count("?version=") == 2
    assert hashlib.sha256(b"v2").hexdigest()[:12] in page


def test_the_api_uploads_lists_versions_and_downloads(
    archivist: User, case: Case, media: Path
) -> None:
    client = _client(archivist)
    base = f"/api/v1/records/cases/{case.pk}/attachments"

    created = client.post(
        base, {"file": upload("报价单.txt", "报价 1000 元".encode()), "note": "初稿"}
    )
    attachment_id = created.json()["id"]
    again = client.post(
        f"{base}/{attachment_id}/versions",
        {"file": upload("报价单.txt", "报价 900 元".encode())},
    )
    listed = client.get(base).json()
    versions = client.get(f"{base}/{attachment_id}/versions").json()
    text = client.get(f"{base}/{attachment_id}/text").json()
    download = client.get(f"{base}/{attachment_id}/download?version=1")

    assert (created.status_code, again.status_code) == (201, 201)
    assert created.json()["current"]["note"] == "初稿"
    assert [(a["name"], a["versions"]) for a in listed] == [("报价单.txt", 2)]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["sha256"] == hashlib.sha256("报价 900 元".encode()).hexdigest()
    assert text["text"] == "报价 900 元"
    assert b"".join(download.streaming_content) == "报价 1000 元".encode()  # type: ignore[attr-defined]
    assert download["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_the_api_refuses_a_file_over_the_limit_with_413(
    archivist: User, case: Case, media: Path, settings: SettingsWrapper
) -> None:
    settings.DOSSIER_ATTACHMENT_MAX_BYTES = 1024 * 1024

    response = _client(archivist).post(
        f"/api/v1/records/cases/{case.pk}/attachments",
        {"file": upload("大.bin", b"x" * (1024 * 1024 + 10))},
    )

    assert response.status_code == 413
    assert response.json()["message"] == "文件“大.bin”超过上限 1 MB，未保存"
    assert response.json()["reason"] == "file_too_large"


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(
    archivist: User, case: Case, media: Path, settings: SettingsWrapper
) -> None:
    settings.DOSSIER_ATTACHMENT_MAX_BYTES = 1024 * 1024
    url = reverse("records:attachments", args=[case.pk])

    response = _client(archivist).post(
        url, {"file": upload("巨大.bin", b"z" * (2 * 1024 * 1024))}
    )

    assert response.status_code == 422
    assert "上传的文件超过上限 1 MB，未保存" in response.content.decode()
    assert Attachment.objects.count() == 0
