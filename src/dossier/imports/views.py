"""The import page: upload, preview with the column mapping, commit, progress."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.core.exports import export_format, export_response
from dossier.imports.exports import rejected_table
from dossier.imports.forms import MappingForm, UploadForm
from dossier.imports.models import ImportJob
from dossier.imports.progress import progress_get
from dossier.imports.report import PHASES, Report, in_file_order
from dossier.imports.services import (
    ImportFailed,
    import_commit,
    import_preview,
    job_create,
)
from dossier.web.selectors import viewer_property

PERMISSION = "imports.add_importjob"
SHOWN_ROWS = 200


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    prop = viewer_property(request.user)
    return get_object_or_404(ImportJob, pk=job_id, property=prop)


@permission_required(PERMISSION, raise_exception=True)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file, lines = form.cleaned_data["file"], form.cleaned_data.get("lines")
        job = job_create(
            actor=request.user,
            property=viewer_property(request.user),
            kind=form.cleaned_data["kind"],
            file=file,
            name=file.name,
            lines=lines,
            lines_name=lines.name if lines else "",
        )
        try:
            import_preview(job=job)
        except ImportFailed as error:
            form.add_error("file", error.message)
        else:
            return redirect("imports:preview", job_id=job.pk)
    jobs = ImportJob.objects.filter(property=viewer_property(request.user))[:10]
    status = 400 if form.errors else 200
    context = {"form": form, "jobs": jobs}
    return render(request, "imports/upload.html", context, status=status)


@permission_required(PERMISSION, raise_exception=True)
def preview(request: HttpRequest, job_id: int) -> HttpResponseBase:
    job = _job(request, job_id)
    report = Report.from_json(job.report) if job.report else None
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None and report is not None:
        return export_response(
            table=rejected_table(job, report),
            fmt=fmt,
            actor=request.user,
            what="imports.rejected_rows",
            job=job.pk,
        )
    columns = list(report.mapping) if report else []
    mapping = (
        in_file_order(job.mapping, columns)
        if job.mapping
        else dict(report.mapping if report else {})
    )
    form = MappingForm(request.POST or None, kind=job.kind, mapping=mapping)
    if request.method == "POST" and form.is_valid():
        job.mapping = form.mapping()
        job.save(update_fields=["mapping"])
        try:
            import_preview(job=job)
        except ImportFailed as error:
            messages.error(request, error.message)
        return redirect("imports:preview", job_id=job.pk)
    context = {
        "job": job,
        "report": report,
        "form": form,
        "rejected": report.rejected[:SHOWN_ROWS] if report else [],
        "warnings": report.warnings[:SHOWN_ROWS] if report else [],
        "shown": SHOWN_ROWS,
    }
    return render(
        request, "imports/preview.html", context, status=400 if form.errors else 200
    )


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def commit(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    skip = request.POST.get("skip_rejected") == "1"
    report = import_commit(job=job, actor=request.user, skip_rejected=skip)
    htmx = request.headers.get("HX-Request") == "true"
    if htmx and not report.committed:
        return render(request, "imports/_result.html", {"job": job, "report": report})
    if report.error:
        messages.error(request, report.error)
    else:
        messages.success(
            request,
            _("已导入：新建 %(created)s，更新 %(updated)s")
            % {"created": report.created, "updated": report.updated},
        )
    if htmx:
        # The whole page changes once committed (status, counts, no commit form),
        # not only the panel that sent the request.
        response = HttpResponse()
        response["HX-Redirect"] = reverse("imports:preview", args=[job.pk])
        return response
    return redirect("imports:preview", job_id=job.pk)


@permission_required(PERMISSION, raise_exception=True)
def progress(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    state = progress_get(job)
    total = int(state.get("total") or 0)
    percent = 100 * int(state.get("done") or 0) // total if total else 0
    context = {"job": job, "state": state, "percent": percent,
               "phase": PHASES.get(str(state.get("phase")), "")}  # fmt: skip
    return render(request, "imports/_progress.html", context)
