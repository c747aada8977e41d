"""Archive upkeep pages: trash, holds, retention schedules and scheme revisions.

Each view parses, authorizes, calls a service or selector and renders.
"""

from itertools import chain

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.core.audit import AuditAction, audit
from dossier.core.exports import export_format, export_response
from dossier.records.errors import RecordsError
from dossier.records.exports import (
    holds_table,
    mapping_export,
    schedule_table,
    schedules_table,
    trash_table,
    versions_table,
)
from dossier.records.forms import (
    ClassChangeFormSet,
    HoldForm,
    HoldReleaseForm,
    RetentionYearsForm,
    RevisionForm,
    TrashForm,
)
from dossier.records.retention import (
    preset_choices,
    preset_items,
    retention_label,
    schedule_from_preset,
    schedule_warnings,
)
from dossier.records.scheme import ClassChange, scheme_revise
from dossier.records.selectors import (
    case_for,
    cases_trashed,
    holds_active,
    holds_released,
    mapping_table,
    retention_item_for,
    schedules_of,
    scheme_current,
    versions_of,
)
from dossier.records.services import (
    case_restore,
    case_trash,
    hold_place,
    hold_release,
    retention_item_set,
)
from dossier.records.views_case import beside_field, case_page, row_forms
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

VIEW = "records.view_case"
KEEP = "records.file_case"


@permission_required(VIEW, raise_exception=True)
def trash(request: HttpRequest) -> HttpResponseBase:
    cases = cases_trashed(viewer_property(request.user), viewer=request.user)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=trash_table(cases), fmt=fmt, actor=request.user, what="records.trash"
        )
    return render(request, "records/trash.html", {"cases": cases})


@require_POST
@permission_required(KEEP, raise_exception=True)
def case_trash_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    form = TrashForm(request.POST, auto_id="trash_%s")
    if not form.is_valid():
        return case_page(request, case, trash_form=form)
    try:
        case_trash(
            actor=request_actor(request), case=case, reason=form.cleaned_data["reason"]
        )
    except RecordsError as error:
        if not beside_field(form, error):
            messages.error(request, error.message)
            return redirect("records:case_detail", case_id=case.pk)
        return case_page(request, case, trash_form=form)
    messages.success(
        request,
        _("%(number)s 已移入回收站，档号保留，不会再编给其他案件")
        % {"number": case.archive_number},
    )
    return redirect("records:trash")


@require_POST
@permission_required(KEEP, raise_exception=True)
def case_restore_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    try:
        restored = case_restore(actor=request_actor(request), case=case)
    except RecordsError as error:
        messages.error(request, error.message)
        return redirect("records:trash")
    messages.success(
        request,
        _("已恢复，档号仍为 %(number)s") % {"number": restored.archive_number},
    )
    return redirect("records:case_detail", case_id=case.pk)


@permission_required(VIEW, raise_exception=True)
def holds(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        every = chain(
            holds_active(prop, viewer=request.user),
            holds_released(prop, viewer=request.user),
        )
        return export_response(
            table=holds_table(every), fmt=fmt, actor=request.user, what="records.holds"
        )
    return _holds_page(request)


def _holds_page(
    request: HttpRequest,
    *,
    failed: int | None = None,
    form: HoldReleaseForm | None = None,
) -> HttpResponse:
    """The holds; the release form of hold ``failed`` comes back with its errors."""
    prop = viewer_property(request.user)
    active = list(holds_active(prop, viewer=request.user))
    row_forms(active, "release", HoldReleaseForm, failed=failed, form=form)
    context = {
        "active": active,
        "released": holds_released(prop, viewer=request.user)[:100],
    }
    status = 400 if form is not None else 200
    return render(request, "records/holds.html", context, status=status)


@require_POST
@permission_required("records.place_hold", raise_exception=True)
def hold_place_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    form = HoldForm(request.POST, auto_id="hold_%s")
    if not form.is_valid():
        return case_page(request, case, hold_form=form)
    try:
        hold_place(actor=request_actor(request), case=case, **form.cleaned_data)
    except RecordsError as error:
        if not beside_field(form, error):
            messages.error(request, error.message)
            return redirect("records:case_detail", case_id=case.pk)
        return case_page(request, case, hold_form=form)
    messages.success(
        request,
        _("已对 %(number)s 设置保全，保全期间不会销毁")
        % {"number": case.archive_number},
    )
    return redirect("records:case_detail", case_id=case.pk)


@require_POST
@permission_required("records.place_hold", raise_exception=True)
def hold_release_view(request: HttpRequest, hold_id: int) -> HttpResponse:
    hold = get_object_or_404(
        holds_active(viewer_property(request.user), viewer=request.user), pk=hold_id
    )
    form = HoldReleaseForm(request.POST, auto_id=f"release-{hold.pk}-%s")
    if not form.is_valid():
        return _holds_page(request, failed=hold.pk, form=form)
    try:
        hold_release(
            actor=request_actor(request), hold=hold, reason=form.cleaned_data["reason"]
        )
    except RecordsError as error:
        if not beside_field(form, error):
            messages.error(request, error.message)
            return redirect("records:holds")
        return _holds_page(request, failed=hold.pk, form=form)
    messages.success(
        request,
        _("已解除 %(number)s 的保全（%(authority)s）")
        % {"number": hold.case.archive_number, "authority": hold.authority},
    )
    return redirect("records:holds")


@permission_required(VIEW, raise_exception=True)
def schedules(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    rows = [
        (schedule, schedule_warnings(schedule))
        for schedule in schedules_of(prop).prefetch_related("items")
    ]
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=schedules_table(rows),
            fmt=fmt,
            actor=request.user,
            what="records.schedules",
        )
    context = {"rows": rows, "presets": preset_choices()}
    return render(request, "records/schedules.html", context)


@permission_required(VIEW, raise_exception=True)
def schedule_detail(request: HttpRequest, schedule_id: int) -> HttpResponseBase:
    schedule = get_object_or_404(
        schedules_of(viewer_property(request.user)), pk=schedule_id
    )
    items = list(schedule.items.select_related("archive_class"))
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=schedule_table(schedule, items),
            fmt=fmt,
            actor=request.user,
            what="records.schedule",
            schedule=schedule.pk,
        )
    context = {
        "schedule": schedule,
        "items": items,
        "warnings": schedule_warnings(schedule),
        "labels": {item.pk: retention_label(item.years) for item in items},
    }
    return render(request, "records/schedule.html", context)


@require_POST
@permission_required(KEEP, raise_exception=True)
def retention_item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = retention_item_for(viewer_property(request.user), item_id)
    if item is None:
        raise Http404
    form = RetentionYearsForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("years", []):
            messages.error(
                request,
                _("“%(type)s”的保管年限：%(error)s")
                % {"type": item.record_type, "error": error},
            )
        return redirect("records:schedule", schedule_id=item.schedule_id)
    try:
        item, warning = retention_item_set(
            actor=request_actor(request), item=item, years=form.cleaned_data["years"]
        )
    except RecordsError as error:
        messages.error(request, error.message)
        return redirect("records:schedule", schedule_id=item.schedule_id)
    if warning:
        messages.warning(
            request, _("已保存，但请注意：%(warning)s") % {"warning": warning}
        )
    else:
        messages.success(
            request,
            _("“%(type)s”已改为 %(period)s")
            % {"type": item.record_type, "period": retention_label(item.years)},
        )
    return redirect("records:schedule", schedule_id=item.schedule_id)


@require_POST
@permission_required(KEEP, raise_exception=True)
def schedule_from_preset_view(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("preset", "")
    try:
        name, items = preset_items(key)
    except KeyError:
        messages.error(
            request, _("预设：没有名为“%(key)s”的保管期限预设") % {"key": key}
        )
        return redirect("records:schedules")
    prop = viewer_property(request.user)
    actor = request_actor(request)
    with transaction.atomic():
        schedule = schedule_from_preset(prop=prop, name=name, preset=key, items=items)
        audit(
            actor=actor,
            action=AuditAction.RETENTION_CHANGED,
            obj=schedule,
            preset=key,
            items=len(items),
        )
    messages.success(request, _("已按预设建立“%(name)s”") % {"name": name})
    return redirect("records:schedule", schedule_id=schedule.pk)


@permission_required(VIEW, raise_exception=True)
def scheme_versions(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=versions_table(versions_of(prop)),
            fmt=fmt,
            actor=request.user,
            what="records.scheme_versions",
        )
    context = {"versions": versions_of(prop), "current": scheme_current(prop)}
    return render(request, "records/scheme_versions.html", context)


@permission_required(VIEW, raise_exception=True)
def scheme_mapping(request: HttpRequest, version_id: int) -> HttpResponseBase:
    version = get_object_or_404(
        versions_of(viewer_property(request.user)), pk=version_id
    )
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=mapping_export(version, mapping_table(version)),
            fmt=fmt,
            actor=request.user,
            what="records.scheme_mapping",
            version=version.pk,
        )
    context = {"version": version, "mappings": mapping_table(version)}
    return render(request, "records/scheme_mapping.html", context)


@permission_required(KEEP, raise_exception=True)
def scheme_revise_view(request: HttpRequest) -> HttpResponse:
    current = scheme_current(viewer_property(request.user))
    if current is None:
        messages.error(request, _("尚未建立分类方案，无从修订"))
        return redirect("records:classes")
    classes = list(current.classes.order_by("full_code"))
    data = request.POST if request.method == "POST" else None
    form = RevisionForm(data, initial={"name": current.name})
    changes = ClassChangeFormSet(data, form_kwargs={"classes": classes})
    if data is not None and form.is_valid() and changes.is_valid():
        picked = [
            ClassChange(
                kind=row["kind"],
                full_code=row.get("full_code", ""),
                name=row.get("name", "").strip(),
                code=row.get("code", "").strip(),
                note=row.get("note", "").strip(),
            )
            for row in changes.cleaned_data
            if row.get("kind")
        ]
        if not picked:
            form.add_error(None, _("请至少填写一项修订；方案没有改变时不必建立新版本"))
        else:
            try:
                new = scheme_revise(
                    actor=request_actor(request),
                    version=current,
                    name=form.cleaned_data["name"],
                    changes=picked,
                )
            except RecordsError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("已建立第 %(number)s 版分类方案；旧档号不变，新旧对照表如下")
                    % {"number": new.number},
                )
                return redirect("records:scheme_mapping", version_id=new.pk)
    context = {"form": form, "changes": changes, "current": current}
    status = 400 if data is not None else 200
    return render(request, "records/scheme_revise.html", context, status=status)
