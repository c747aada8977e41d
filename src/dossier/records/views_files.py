"""Pages of the attachments of a case: list and upload, versions, download, preview,
thumbnail; and the reading range of a class.

Every page finds the case through ``case_for`` with the viewer, so a case the viewer
may not see answers 404 here exactly as on its detail page.
"""

from pathlib import Path
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.records.access import RESTRICT_CLASS, class_access_set
from dossier.records.attachments import (
    attachment_upload,
    attachments_of,
    download_type,
    max_bytes,
    media_root,
    version_current,
    version_verified,
)
from dossier.records.errors import RecordsError
from dossier.records.models import Attachment, AttachmentVersion, Case
from dossier.records.previews import text_preview
from dossier.records.selectors import case_for, scheme_current
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

VIEW = "records.view_case"
R = TypeVar("R", bound=HttpResponseBase)
# Room for the other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("文件"))
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)


def _case(request: HttpRequest, case_id: int) -> Case:
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    return case


def _attachment(case: Case, attachment_id: int) -> Attachment:
    found = attachments_of(case).filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    return found


def _version(attachment: Attachment, number: str | None) -> AttachmentVersion:
    if not number:
        return version_current(attachment)
    found = (
        attachment.versions.filter(number=int(number)).first()
        if number.isdigit()
        else None
    )
    if found is None:
        raise Http404
    return found


def protect(response: R) -> R:
    """Headers of every served file: nothing in it may run or be re-typed."""
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def file_response(path: Path, version: AttachmentVersion) -> FileResponse:
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=download_type(version.content_type),
    )
    return protect(response)


def _too_large(request: HttpRequest) -> bool:
    """Whether the request body alone is over the limit, before it is read."""
    length = request.META.get("CONTENT_LENGTH", "")
    return length.isdigit() and int(length) > max_bytes() + FORM_OVERHEAD


def _upload(
    request: HttpRequest, case: Case, attachment: Attachment | None
) -> UploadForm:
    if _too_large(request):
        # A bound form without the unread file, carrying only this error.
        form = UploadForm(data={}, files=MultiValueDict())
        form.is_valid()
        form.errors.clear()
        limit = max_bytes() // (1024 * 1024)
        form.add_error(
            None, _("上传的文件超过上限 %(limit)s MB，未保存") % {"limit": limit}
        )
        return form
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = attachment_upload(
                actor=request_actor(request),
                case=case,
                upload=form.cleaned_data["file"],
                attachment=attachment,
                note=form.cleaned_data["note"],
            )
        except RecordsError as error:
            form.add_error("file", error.message)
        else:
            messages.success(
                request,
                _("已保存“%(name)s”第 %(number)s 版")
                % {"name": version.original_name, "number": version.number},
            )
    return form


@permission_required(VIEW, raise_exception=True)
def attachment_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = UploadForm()
    if request.method == "POST":
        if not request.user.has_perm("records.file_case"):
            raise PermissionDenied
        form = _upload(request, case, None)
        if not form.errors:
            return redirect("records:attachments", case_id=case.pk)
    context = {
        "case": case,
        "attachments": attachments_of(case),
        "form": form,
        "max_mb": max_bytes() // (1024 * 1024),
    }
    status = 422 if form.errors else 200
    return render(request, "records/attachments.html", context, status=status)


@permission_required(VIEW, raise_exception=True)
def attachment_versions(
    request: HttpRequest, case_id: int, attachment_id: int
) -> HttpResponse:
    case = _case(request, case_id)
    attachment = _attachment(case, attachment_id)
    form = UploadForm()
    if request.method == "POST":
        if not request.user.has_perm("records.file_case"):
            raise PermissionDenied
        form = _upload(request, case, attachment)
        if not form.errors:
            return redirect(
                "records:attachment", case_id=case.pk, attachment_id=attachment.pk
            )
    context = {
        "case": case,
        "attachment": attachment,
        "versions": attachment.versions.select_related("uploaded_by"),
        "form": form,
        "max_mb": max_bytes() // (1024 * 1024),
    }
    status = 422 if form.errors else 200
    return render(request, "records/attachment.html", context, status=status)


def damaged(request: HttpRequest, case: Case, error: RecordsError) -> HttpResponse:
    context = {"case": case, "message": error.message}
    return render(request, "records/attachment_damaged.html", context, status=409)


@permission_required(VIEW, raise_exception=True)
def attachment_download(
    request: HttpRequest, case_id: int, attachment_id: int
) -> HttpResponseBase:
    case = _case(request, case_id)
    version = _version(_attachment(case, attachment_id), request.GET.get("version"))
    try:
        path = version_verified(actor=request_actor(request), version=version)
    except RecordsError as error:
        return damaged(request, case, error)
    return file_response(path, version)


@permission_required(VIEW, raise_exception=True)
def attachment_preview(
    request: HttpRequest, case_id: int, attachment_id: int
) -> HttpResponse:
    case = _case(request, case_id)
    attachment = _attachment(case, attachment_id)
    version = version_current(attachment)
    text, cut = text_preview(attachment.text)
    context = {
        "case": case,
        "attachment": attachment,
        "version": version,
        "text": text,
        "cut": cut,
    }
    return render(request, "records/attachment_preview.html", context)


@permission_required(VIEW, raise_exception=True)
def attachment_thumbnail(
    request: HttpRequest, case_id: int, attachment_id: int
) -> HttpResponseBase:
    case = _case(request, case_id)
    version = _version(_attachment(case, attachment_id), request.GET.get("version"))
    path = media_root() / version.preview_path if version.preview_path else None
    if path is None or not path.is_file():
        raise Http404
    return protect(FileResponse(path.open("rb"), content_type="image/png"))


class AccessForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(
        label=gettext_lazy("可查阅的角色（不选则全体可查阅）"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@permission_required(RESTRICT_CLASS, raise_exception=True)
def class_access(request: HttpRequest, class_id: int) -> HttpResponse:
    version = scheme_current(viewer_property(request.user))
    archive_class = version.classes.filter(pk=class_id).first() if version else None
    if archive_class is None:
        raise Http404
    current = Group.objects.filter(
        pk__in=archive_class.access.values("group_id")
    ).order_by("name")
    form = AccessForm(request.POST or None, initial={"groups": list(current)})
    if request.method == "POST" and form.is_valid():
        class_access_set(
            actor=request_actor(request),
            archive_class=archive_class,
            groups=list(form.cleaned_data["groups"]),
        )
        messages.success(request, _("已保存查阅范围"))
        return redirect("records:class_access", class_id=archive_class.pk)
    context = {"archive_class": archive_class, "form": form, "current": current}
    status = 400 if form.errors else 200
    return render(request, "records/class_access.html", context, status=status)
