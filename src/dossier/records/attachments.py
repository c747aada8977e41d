"""Attachments of a case: upload with a checksum taken while the file streams in,
versions, the stored file's check on every download, and removal on destruction.

Files live under ``MEDIA_ROOT/records/<case>/<attachment>/`` with names the product
makes; the uploaded name is only kept (made safe) for display and download. The type
is read from the file's first bytes, never from its name or the browser's claim.
"""

import hashlib
import logging
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.core.audit import AuditAction, audit
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.fulltext import DOCX, PDF, TEXT, attachment_index, text_extract
from dossier.records.models import Attachment, AttachmentVersion, Case, CaseStatus
from dossier.records.previews import preview_make

logger = logging.getLogger(__name__)

UPLOAD = "records.file_case"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_NAME = 120
CHUNK = 64 * 1024
SNIFF_BYTES = 8192
# Types a browser would run as a page if served as themselves.
ACTIVE_TYPES = {"text/html", "image/svg+xml", "application/xml"}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


class Upload(Protocol):
    """What Django's UploadedFile offers and the service needs."""

    name: str | None

    def chunks(self, chunk_size: int | None = None) -> Iterable[bytes]: ...


def max_bytes() -> int:
    value: int = getattr(settings, "DOSSIER_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
    return value


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def safe_name(name: str) -> str:
    """The uploaded name without folders, control or reserved characters.

    Chinese and other letters are kept; a name that is nothing but dots or blanks
    becomes 附件. Long names are shortened keeping the extension.
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    cleaned = _UNSAFE.sub("_", base).strip().lstrip(".").strip()
    if not cleaned.strip("_ "):
        return "附件"
    if len(cleaned) > MAX_NAME:
        stem, dot, ext = cleaned.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            cleaned = stem[: MAX_NAME - len(ext) - 1] + "." + ext
        else:
            cleaned = cleaned[:MAX_NAME]
    return cleaned


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return "application/octet-stream"
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return "application/zip"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What staff call each sniffed type; the list and the versions page show these.
KIND_LABELS = {
    PDF: gettext_lazy("PDF 文档"),
    DOCX: gettext_lazy("Word 文档"),
    XLSX: gettext_lazy("Excel 表格"),
    TEXT: gettext_lazy("文本文件"),
    "image/png": gettext_lazy("PNG 图片"),
    "image/jpeg": gettext_lazy("JPEG 图片"),
    "image/gif": gettext_lazy("GIF 图片"),
    "image/webp": gettext_lazy("WebP 图片"),
    "image/tiff": gettext_lazy("TIFF 图片"),
    "image/svg+xml": gettext_lazy("SVG 图形"),
    "text/html": gettext_lazy("网页文件"),
    "application/xml": gettext_lazy("XML 文件"),
    "application/zip": gettext_lazy("ZIP 压缩包"),
}


def kind_label(content_type: str) -> str:
    """A sniffed type as staff say it (PDF 文档), 其他文件 for one we do not name."""
    return str(KIND_LABELS.get(content_type, gettext_lazy("其他文件")))


def sniff(head: bytes, path: Path) -> str:
    """The content type of a file from its first bytes (and, for zip, its members)."""
    lowered = head[:1024].lstrip().lower()
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if b"<svg" in lowered:
        return "image/svg+xml"
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<script" in lowered:
        return "text/html"
    if lowered.startswith(b"<?xml"):
        return "application/xml"
    if _looks_like_text(head):
        return TEXT
    return "application/octet-stream"


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # The sample may end inside a character: ignore only the last few bytes.
            head[: len(head) - 4 if len(head) == SNIFF_BYTES else None].decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


@dataclass
class Received:
    path: Path
    size: int
    sha256: str
    head: bytes


def _receive(upload: Upload, folder: Path) -> Received:
    """Write the upload to a new file in ``folder``, hashing and counting as it goes."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"incoming-{secrets.token_hex(8)}"
    digest = hashlib.sha256()
    size = 0
    head = b""
    limit = max_bytes()
    try:
        with path.open("xb") as out:
            for chunk in upload.chunks(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise RecordsError(
                        RecordsErrorCode.FILE_TOO_LARGE,
                        _("文件“%(safe_name)s”超过上限 %(value)s MB，未保存")
                        % {
                            "safe_name": safe_name(upload.name or ""),
                            "value": limit // (1024 * 1024),
                        },
                        field="file",
                    )
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise RecordsError(
            RecordsErrorCode.FILE_EMPTY,
            _("文件“%(safe_name)s”是空文件，未保存")
            % {"safe_name": safe_name(upload.name or "")},
            field="file",
        )
    return Received(path, size, digest.hexdigest(), head)


def attachment_upload(
    *,
    actor: User,
    case: Case,
    upload: Upload,
    attachment: Attachment | None = None,
    note: str = "",
) -> AttachmentVersion:
    """Store ``upload`` as a new attachment of ``case``, or as the next version of
    ``attachment`` (the earlier versions are kept)."""
    if not actor.has_perm(UPLOAD):
        raise RecordsError(RecordsErrorCode.NOT_PERMITTED, _("没有上传附件的权限"))
    if case.status in (CaseStatus.DESTROYED, CaseStatus.TRASHED):
        raise RecordsError(
            RecordsErrorCode.WRONG_STATUS,
            _("案件状态为“%(status)s”，不能上传附件")
            % {"status": case.get_status_display()},
        )
    if attachment is not None and attachment.case_id != case.pk:
        raise RecordsError(RecordsErrorCode.NOT_FOUND, _("附件不属于该案件"))
    if attachment is not None and attachment.destroyed_at is not None:
        raise RecordsError(
            RecordsErrorCode.WRONG_STATUS, _("附件已销毁，不能上传新版本")
        )
    name = safe_name(upload.name or "")
    received = _receive(upload, media_root() / "records" / str(case.pk))
    made: list[Path] = [received.path]
    try:
        with transaction.atomic():
            version = _version_store(actor, case, attachment, name, received, made)
            version.note = note.strip()[:200]
            version.save(update_fields=["note"])
    except BaseException:
        for path in made:
            path.unlink(missing_ok=True)
        raise
    logger.info(
        "attachment stored",
        extra={"case_id": case.pk, "version_id": version.pk, "size": received.size},
    )
    return version


def _version_store(
    actor: User,
    case: Case,
    attachment: Attachment | None,
    name: str,
    received: Received,
    made: list[Path],
) -> AttachmentVersion:
    if attachment is None:
        attachment = Attachment.objects.create(case=case, name=name, created_by=actor)
    else:
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    last = attachment.versions.aggregate(last=Max("number"))["last"] or 0
    folder = media_root() / "records" / str(case.pk) / str(attachment.pk)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"v{last + 1}-{secrets.token_hex(8)}"
    received.path.rename(final)
    made.append(final)
    content_type = sniff(received.head, final)
    preview = preview_make(final, content_type)
    if preview is not None:
        made.append(preview)
    version = AttachmentVersion.objects.create(
        attachment=attachment,
        number=last + 1,
        original_name=name,
        stored_path=str(final.relative_to(media_root())),
        preview_path=str(preview.relative_to(media_root())) if preview else "",
        size=received.size,
        sha256=received.sha256,
        content_type=content_type,
        uploaded_by=actor,
    )
    attachment.name = name
    attachment.text = text_extract(final, content_type)
    attachment.save(update_fields=["name", "text"])
    attachment_index(attachment)
    audit(
        actor=actor,
        action=AuditAction.ATTACHMENT_UPLOADED,
        obj=version,
        case_id=case.pk,
        attachment_id=attachment.pk,
        number=version.number,
        sha256=version.sha256,
        size=version.size,
        content_type=content_type,
    )
    return version


def attachments_of(case: Case) -> QuerySet[Attachment]:
    """The attachments of a case not destroyed, each with its versions.

    The text is left unread until asked for: it can be long.
    """
    return (
        case.attachments.filter(destroyed_at__isnull=True)
        .defer("text")
        .prefetch_related("versions")
        .order_by("pk")
    )


def version_current(attachment: Attachment) -> AttachmentVersion:
    version = attachment.versions.order_by("-number").first()
    if version is None:
        raise RecordsError(RecordsErrorCode.NOT_FOUND, _("附件没有任何版本"))
    return version


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def version_verified(*, actor: User, version: AttachmentVersion) -> Path:
    """The stored file of ``version`` after its checksum matched the upload's.

    A missing or changed file is recorded in the audit log and refused, so that a
    damaged copy is never handed out as if it were the original.
    """
    path = media_root() / version.stored_path if version.stored_path else None
    if path is None or not path.is_file():
        problem = "missing"
    elif file_digest(path) != version.sha256:
        problem = "mismatch"
    else:
        audit(
            actor=actor,
            action=AuditAction.ATTACHMENT_DOWNLOADED,
            obj=version,
            case_id=version.attachment.case_id,
        )
        return path
    audit(
        actor=actor,
        action=AuditAction.ATTACHMENT_CHECKSUM_FAILED,
        obj=version,
        case_id=version.attachment.case_id,
        problem=problem,
    )
    logger.error(
        "attachment failed its check",
        extra={"version_id": version.pk, "problem": problem},
    )
    what = (
        _("存储的文件缺失")
        if problem == "missing"
        else _("存储的文件与上传时的校验值不符")
    )
    raise RecordsError(
        RecordsErrorCode.FILE_DAMAGED,
        _(
            "附件“%(original_name)s”第 %(number)s 版%(what)s，已记录并停止提供，请联系档案管理员"
        )
        % {
            "original_name": version.original_name,
            "number": version.number,
            "what": what,
        },
    )


def download_type(content_type: str) -> str:
    """The type a download is served as: active content only as raw bytes."""
    return "application/octet-stream" if content_type in ACTIVE_TYPES else content_type


def attachments_destroy(*, case: Case, today: date) -> int:
    """Destroy every attachment of ``case``: text and keys now, files after commit.

    The version rows stay, without their files, so the register keeps what existed.
    """
    paths: list[Path] = []
    attachments = list(case.attachments.filter(destroyed_at__isnull=True))
    for attachment in attachments:
        versions = list(attachment.versions.all())
        for version in versions:
            paths += [
                media_root() / stored
                for stored in (version.stored_path, version.preview_path)
                if stored
            ]
        AttachmentVersion.objects.filter(attachment=attachment).update(
            stored_path="", preview_path=""
        )
        attachment.text = ""
        attachment.destroyed_at = today
        attachment.save(update_fields=["text", "destroyed_at"])
        attachment_index(attachment)
    if attachments:
        audit(
            actor=None,
            action=AuditAction.ATTACHMENTS_DESTROYED,
            obj=case,
            attachments=len(attachments),
            files=len(paths),
        )
        transaction.on_commit(lambda: _unlink(paths))
    return len(attachments)


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
    logger.info("attachment files removed", extra={"files": len(paths)})
