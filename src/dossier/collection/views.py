"""Pages of the collection regime: the quota dashboard and its settings, the
department checklists and the quick observation form for a phone."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dossier.collection.checklists import (
    FOOD_BEVERAGE,
    HOUSEKEEPING,
    ChecklistInput,
    checklist_item_save,
    checklist_items,
    checklist_touchpoint,
    checklists_seed,
    quick_observations_add,
)
from dossier.collection.errors import CollectionError, FieldsInvalid
from dossier.collection.exports import checklist_table, quota_table
from dossier.collection.forms import (
    ChecklistItemForm,
    QuotaForm,
    StaffRankForm,
    TouchpointsForm,
    add_errors,
)
from dossier.collection.models import ChecklistItem, Rank
from dossier.collection.quotas import (
    DEFAULT_QUOTAS,
    contact_touchpoints,
    contact_touchpoints_set,
    quota_report,
    quota_rules,
    quota_set,
    staff_rank_set,
)
from dossier.core.exports import export_format, export_response
from dossier.core.models import Department
from dossier.guests.selectors import (
    card_viewer,
    guest_cards,
    guests_visible,
    viewer_department,
)
from dossier.search.selectors import lookup_rows
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property


def month_param(raw: str | None, today: date) -> date:
    """``?month=2026-11`` as its first day; the current month when absent."""
    if not raw:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise CollectionError(
            _("月份“%(raw)s”无效，应写成 2026-11") % {"raw": raw}, field="month"
        ) from None


@permission_required("collection.view_quota", raise_exception=True)
def quota_dashboard(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    today = prop.today()
    try:
        month = month_param(request.GET.get("month"), today)
    except CollectionError as error:
        messages.error(request, error.message)
        month = today.replace(day=1)
    report = quota_report(property=prop, month=month, today=today)
    department = request.GET.get("department", "")
    if department:
        report.departments = [
            d for d in report.departments if d.department == department
        ]
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(table=quota_table(report), fmt=fmt, actor=request.user,
                               what="collection.quotas", month=f"{month:%Y-%m}",
                               department=department)  # fmt: skip
    context = {
        "report": report,
        "month_value": f"{month:%Y-%m}",
        "department": department,
        "own_department": viewer_department(request.user),
        "departments": Department.choices,
        "rules": [report.rules[rank] for rank in DEFAULT_QUOTAS],
    }
    return render(request, "collection/quotas.html", context)


@permission_required("collection.change_quota", raise_exception=True)
def quota_settings(request: HttpRequest) -> HttpResponse:
    prop = viewer_property(request.user)
    actor = request_actor(request)
    rules = quota_rules(prop)
    users = User.objects.filter(staff__property=prop, is_active=True).order_by(
        "username"
    )
    section = request.POST.get("section", "")
    forms_by_rank = {
        rank: QuotaForm(
            request.POST if section == rank else None,
            prefix=rank,
            initial={
                "measure": rules[rank].measure,
                "period": rules[rank].period,
                "target": rules[rank].target,
            },
        )
        for rank in DEFAULT_QUOTAS
    }
    touch_form = TouchpointsForm(
        request.POST if section == "touchpoints" else None,
        initial={"touchpoints": "\n".join(contact_touchpoints(prop))},
    )
    rank_form = StaffRankForm(request.POST if section == "rank" else None, users=users)
    if request.method == "POST":
        done = _save_settings(
            request, actor, prop, section, forms_by_rank, touch_form, rank_form
        )
        if done:
            messages.success(request, _("已保存"))
            return redirect("collection:quota_settings")
    context = {
        "quota_forms": [(str(Rank(r).label), r, f) for r, f in forms_by_rank.items()],
        "touch_form": touch_form,
        "rank_form": rank_form,
        "ranked": users.filter(quota_rank__isnull=False).select_related("quota_rank"),
    }
    return render(request, "collection/quota_settings.html", context)


def _save_settings(
    request: HttpRequest,
    actor: User,
    prop: Any,
    section: str,
    forms_by_rank: dict[str, QuotaForm],
    touch_form: TouchpointsForm,
    rank_form: StaffRankForm,
) -> bool:
    form: Any = forms_by_rank.get(section) or (
        touch_form if section == "touchpoints" else rank_form
    )
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if section in forms_by_rank:
            quota_set(actor=actor, property=prop, rank=section, **data)
        elif section == "touchpoints":
            lines = data["touchpoints"].splitlines()
            contact_touchpoints_set(actor=actor, property=prop, touchpoints=lines)
        else:
            staff_rank_set(actor=actor, user=data["user"], rank=data["rank"])
    except CollectionError as error:
        add_errors(form, error)
        return False
    return True


@permission_required("collection.change_quota", raise_exception=True)
def checklist_list(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    if request.method == "POST" and request.POST.get("seed"):
        made = checklists_seed(property=prop)
        messages.success(request, _("已补充 %(n)s 条默认观察要点") % {"n": made})
        return redirect("collection:checklists")
    rows = ChecklistItem.objects.filter(property=prop).select_related("item")
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=checklist_table(rows),
            fmt=fmt,
            actor=request.user,
            what="collection.checklists",
        )
    return render(request, "collection/checklists.html", {"rows": rows})


@permission_required("collection.change_quota", raise_exception=True)
def checklist_edit(request: HttpRequest, item_id: int | None = None) -> HttpResponse:
    prop = viewer_property(request.user)
    row = (
        get_object_or_404(ChecklistItem, pk=item_id, property=prop) if item_id else None
    )
    initial: dict[str, Any] = {}
    if row is not None:
        initial = {
            "department": row.department, "label": row.label, "hint": row.hint,
            "kind": row.kind, "choices": "、".join(row.choices), "unit": row.unit,
            "item": row.item, "position": row.position, "active": row.active,
        }  # fmt: skip
    form = ChecklistItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choices = tuple(
            data["choices"].replace("，", "、").replace(",", "、").split("、")
        )
        try:
            checklist_item_save(
                actor=request_actor(request),
                property=prop,
                existing=row,
                data=ChecklistInput(**{**data, "choices": choices}),
            )
        except CollectionError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("已保存观察要点"))
            return redirect("collection:checklists")
    return render(request, "collection/checklist_form.html", {"form": form, "row": row})


@permission_required("guests.add_observation", raise_exception=True)
def quick_find(request: HttpRequest) -> HttpResponse:
    """Find the guest by room number or name, with the look-up every desk uses."""
    prop = viewer_property(request.user)
    query = request.GET.get("q", "").strip()
    rows = []
    if query:
        rows = lookup_rows(
            property_id=prop.pk, query=query, viewer=request.user, limit=10
        )
    return render(request, "collection/quick_find.html", {"q": query, "rows": rows})


def _department(request: HttpRequest) -> str:
    """The checklist asked for, else the viewer's own department's."""
    chosen = request.POST.get("department") or request.GET.get("department")
    own = viewer_department(request.user) or Department.FRONT_OFFICE
    return chosen if chosen in (HOUSEKEEPING, FOOD_BEVERAGE, own) else own


@permission_required("guests.add_observation", raise_exception=True)
def quick_observe(request: HttpRequest, guest_id: int) -> HttpResponse:
    guest = guests_visible(request.user).filter(pk=guest_id).first()
    if guest is None:
        raise Http404
    department = _department(request)
    if not ChecklistItem.objects.filter(property=guest.property).exists():
        checklists_seed(property=guest.property)
    prompts = list(checklist_items(guest.property, department))
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {
            p.pk: "、".join(
                v for v in request.POST.getlist(f"item-{p.pk}") if v.strip()
            )
            for p in prompts
        }
        try:
            filed = quick_observations_add(
                actor=request_actor(request),
                guest=guest,
                department=department,
                values={k: v for k, v in values.items() if v},
                note=request.POST.get("note", ""),
                touchpoint=request.POST.get("touchpoint", ""),
            )
        except FieldsInvalid as error:
            errors = error.errors
        except CollectionError as error:
            errors = {"general": error.message}
        else:
            messages.success(
                request, _("已记录 %(n)s 条客史信息，待审核") % {"n": len(filed)}
            )
            return redirect("collection:quick")
    context = {
        "guest": guest,
        "card": guest_cards([guest.pk], viewer=card_viewer(request.user))[0],
        "department": department,
        "own_department": viewer_department(request.user),
        "prompts": [
            (p, errors.get(str(p.pk), ""), request.POST.getlist(f"item-{p.pk}"))
            for p in prompts
        ],
        "errors": errors,
        "note": request.POST.get("note", ""),
        "touchpoint": request.POST.get("touchpoint")
        or checklist_touchpoint(department),
        "touchpoints": [
            checklist_touchpoint(department),
            *contact_touchpoints(guest.property),
        ],
    }
    return render(request, "collection/quick_observe.html", context)
