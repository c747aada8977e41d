"""API of case attachments and of class reading ranges, nested in the records router.

A case the caller may not see is not found (404) on every endpoint, as on the pages.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import Group
from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from dossier.records.access import RESTRICT_CLASS, class_access_set
from dossier.records.attachments import (
    attachment_upload,
    attachments_of,
    version_current,
    version_verified,
)
from dossier.records.errors import RecordsError
from dossier.records.models import Attachment, AttachmentVersion, Case
from dossier.records.selectors import case_for, scheme_current
from dossier.records.views_files import file_response
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

router = Router(tags=["records"])

VIEW = "records.view_case"
UPLOAD = "records.file_case"


class VersionOut(Schema):
    number: int
    original_name: str
    size: int
    sha256: str
    content_type: str
    uploaded_at: datetime
    uploaded_by: str
    note: str
    has_thumbnail: bool


class AttachmentOut(Schema):
    id: int
    case_id: int
    name: str
    current: VersionOut
    versions: int


class TextOut(Schema):
    id: int
    text: str


class ErrorOut(Schema):
    code: str
    message: str
    reason: str
    field: str


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionError


def _case(request: HttpRequest, case_id: int) -> Case:
    _require(request, VIEW)
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    return case


def _attachment(request: HttpRequest, case_id: int, attachment_id: int) -> Attachment:
    found = attachments_of(_case(request, case_id)).filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    return found


def _version_out(version: AttachmentVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "original_name": version.original_name,
        "size": version.size,
        "sha256": version.sha256,
        "content_type": version.content_type,
        "uploaded_at": version.uploaded_at,
        "uploaded_by": version.uploaded_by.get_username(),
        "note": version.note,
        "has_thumbnail": bool(version.preview_path),
    }


def _attachment_out(attachment: Attachment) -> dict[str, Any]:
    versions = sorted(attachment.versions.all(), key=lambda v: -v.number)
    return {
        "id": attachment.pk,
        "case_id": attachment.case_id,
        "name": attachment.name,
        "current": _version_out(versions[0]),
        "versions": len(versions),
    }


def _error(error: RecordsError, status: int = 422) -> Status[dict[str, str]]:
    body = {"code": "invalid", "message": error.message, "reason": str(error.code)}
    return Status(status, {**body, "field": error.field})


@router.get(
    "/cases/{case_id}/attachments",
    response=list[AttachmentOut],
    summary="Attachments of a case",
)
def attachment_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = _case(request, case_id)
    return [_attachment_out(a) for a in attachments_of(case)]


def _store(
    request: HttpRequest,
    case: Case,
    file: UploadedFile,
    note: str,
    attachment: Attachment | None,
) -> Any:
    _require(request, UPLOAD)
    try:
        version = attachment_upload(
            actor=request_actor(request),
            case=case,
            upload=file,
            attachment=attachment,
            note=note,
        )
    except RecordsError as error:
        return _error(error, 413 if error.code == "file_too_large" else 422)
    stored = Attachment.objects.prefetch_related("versions").get(
        pk=version.attachment_id
    )
    return Status(201, _attachment_out(stored))


@router.post(
    "/cases/{case_id}/attachments",
    response={201: AttachmentOut, 413: ErrorOut, 422: ErrorOut},
    summary="Upload a new attachment (multipart: file, note)",
)
def attachment_create(
    request: HttpRequest,
    case_id: int,
    file: File[UploadedFile],
    note: Form[str] = "",
) -> Any:
    return _store(request, _case(request, case_id), file, note, None)


@router.post(
    "/cases/{case_id}/attachments/{attachment_id}/versions",
    response={201: AttachmentOut, 413: ErrorOut, 422: ErrorOut},
    summary="Upload a new version; earlier versions are kept",
)
def version_create(
    request: HttpRequest,
    case_id: int,
    attachment_id: int,
    file: File[UploadedFile],
    note: Form[str] = "",
) -> Any:
    attachment = _attachment(request, case_id, attachment_id)
    return _store(request, attachment.case, file, note, attachment)


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}/versions",
    response=list[VersionOut],
    summary="Every version of an attachment, the newest first",
)
def version_list(
    request: HttpRequest, case_id: int, attachment_id: int
) -> list[dict[str, Any]]:
    attachment = _attachment(request, case_id, attachment_id)
    versions = attachment.versions.select_related("uploaded_by").order_by("-number")
    return [_version_out(v) for v in versions]


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}/text",
    response=TextOut,
    summary="The extracted full text of the current version",
)
def attachment_text(
    request: HttpRequest, case_id: int, attachment_id: int
) -> dict[str, Any]:
    attachment = _attachment(request, case_id, attachment_id)
    return {"id": attachment.pk, "text": attachment.text}


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}/download",
    response={409: ErrorOut},
    summary="Download a version (the current one unless ?version=N), checksum verified",
)
def attachment_download(
    request: HttpRequest, case_id: int, attachment_id: int, version: int | None = None
) -> Any:
    attachment = _attachment(request, case_id, attachment_id)
    if version is None:
        chosen = version_current(attachment)
    else:
        found = attachment.versions.filter(number=version).first()
        if found is None:
            raise Http404
        chosen = found
    try:
        path = version_verified(actor=request_actor(request), version=chosen)
    except RecordsError as error:
        return _error(error, 409)
    return file_response(path, chosen)


class AccessIn(Schema):
    groups: list[str]


class AccessOut(Schema):
    class_code: str
    groups: list[str]


@router.put(
    "/classes/{class_id}/access",
    response={200: AccessOut, 422: ErrorOut},
    summary="Restrict a class to roles (an empty list opens it to all)",
)
def class_access(request: HttpRequest, class_id: int, payload: AccessIn) -> Any:
    _require(request, RESTRICT_CLASS)
    version = scheme_current(viewer_property(request.user))
    archive_class = version.classes.filter(pk=class_id).first() if version else None
    if archive_class is None:
        raise Http404
    groups = list(Group.objects.filter(name__in=payload.groups))
    unknown = sorted(set(payload.groups) - {g.name for g in groups})
    if unknown:
        message = f"没有这些角色：{'、'.join(unknown)}"
        body = {"code": "invalid", "message": message, "reason": "invalid_value"}
        return Status(422, {**body, "field": "groups"})
    class_access_set(
        actor=request_actor(request), archive_class=archive_class, groups=groups
    )
    names = sorted(g.name for g in groups)
    return Status(200, {"class_code": archive_class.full_code, "groups": names})
