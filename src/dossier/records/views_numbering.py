"""Setting up the archive: the first scheme, the template of numbers, folder sizes.

Each view parses, authorizes, calls a service and redirects back to the page; a form
that comes back with errors is shown again as it was filled in, each error beside its
field.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.records.errors import RecordsError
from dossier.records.forms import CapacityForm, SchemeStartForm, TemplateForm
from dossier.records.numbering import class_capacity_set, template_choose
from dossier.records.scheme import scheme_start
from dossier.records.selectors import scheme_current
from dossier.records.services import template_default
from dossier.records.views import classes_page
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

VIEW = "records.view_case"
KEEP = "records.file_case"


def _numbering_page(
    request: HttpRequest,
    *,
    template_form: TemplateForm | None = None,
    capacity_form: CapacityForm | None = None,
) -> HttpResponse:
    """The page of templates and folder sizes; a form given back shows its errors."""
    prop = viewer_property(request.user)
    version = scheme_current(prop)
    template = template_default(prop)
    initial = {
        "fonds_code": template.fonds_code,
        "category_code": template.category_code,
    }
    context = {
        "template": template,
        "classes": version.classes.filter(
            children__isnull=True, retired=False
        ).order_by("full_code")
        if version
        else [],
        "template_form": template_form or TemplateForm(initial=initial),
        "capacity_form": capacity_form or CapacityForm(version=version),
    }
    status = 400 if template_form or capacity_form else 200
    return render(request, "records/numbering.html", context, status=status)


def _field_error(form: forms.Form, error: RecordsError) -> None:
    """Put a service's refusal beside the field it names, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


@permission_required(VIEW, raise_exception=True)
def numbering(request: HttpRequest) -> HttpResponse:
    return _numbering_page(request)


@require_POST
@permission_required(KEEP, raise_exception=True)
def template_choose_view(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.POST)
    if not form.is_valid():
        return _numbering_page(request, template_form=form)
    try:
        chosen = template_choose(
            actor=request_actor(request),
            prop=viewer_property(request.user),
            preset=form.cleaned_data["preset"],
            fonds_code=form.cleaned_data["fonds_code"],
            category_code=form.cleaned_data["category_code"] or "WS",
        )
    except RecordsError as error:
        _field_error(form, error)
        return _numbering_page(request, template_form=form)
    messages.success(
        request,
        _("新归档的案件按“%(name)s”编号；已有档号不变") % {"name": chosen.name},
    )
    return redirect("records:numbering")


@require_POST
@permission_required(KEEP, raise_exception=True)
def capacity_set_view(request: HttpRequest) -> HttpResponse:
    form = CapacityForm(
        request.POST, version=scheme_current(viewer_property(request.user))
    )
    if not form.is_valid():
        return _numbering_page(request, capacity_form=form)
    try:
        klass = class_capacity_set(
            actor=request_actor(request),
            archive_class=form.cleaned_data["archive_class"],
            folder_capacity=form.cleaned_data["folder_capacity"],
        )
    except RecordsError as error:
        _field_error(form, error)
        return _numbering_page(request, capacity_form=form)
    messages.success(
        request,
        _("%(klass)s 每卷 %(n)s 件") % {"klass": klass, "n": klass.folder_capacity},
    )
    return redirect("records:numbering")


@require_POST
@permission_required(KEEP, raise_exception=True)
def scheme_start_view(request: HttpRequest) -> HttpResponse:
    form = SchemeStartForm(request.POST)
    if not form.is_valid():
        return classes_page(request, start_form=form)
    try:
        version = scheme_start(
            actor=request_actor(request),
            prop=viewer_property(request.user),
            source=form.cleaned_data["source"],
            name=form.cleaned_data["name"],
        )
    except RecordsError as error:
        if scheme_current(viewer_property(request.user)) is not None:
            # A colleague started the scheme meanwhile: the tree replaces the form.
            messages.error(request, error.message)
            return redirect("records:classes")
        _field_error(form, error)
        return classes_page(request, start_form=form)
    messages.success(request, _("已建立分类方案：%(name)s") % {"name": version.name})
    return redirect("records:classes")
