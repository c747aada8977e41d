"""The search page: a query with filters, ranked results, saved searches.

Views parse, authorize and call :mod:`dossier.search.selectors` and
:mod:`dossier.search.services`; the page updates live through htmx.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.classes.exports import search_table
from dossier.core.exports import export_format, export_response
from dossier.search.errors import SearchError
from dossier.search.forms import SavedSearchForm, SearchForm
from dossier.search.selectors import (
    saved_search_filters,
    saved_searches_visible,
    search_page,
)
from dossier.search.services import saved_search_create, saved_search_delete
from dossier.web.http import HtmxHttpRequest, request_actor
from dossier.web.selectors import viewer_property


@permission_required("guests.view_guest", raise_exception=True)
def search(request: HtmxHttpRequest) -> HttpResponseBase:
    form = SearchForm(request.GET)
    prop = viewer_property(request.user)
    results = None
    if form.is_valid():
        filters = form.filters()
        query = form.cleaned_data["q"].strip()
        if query or not filters.is_empty():
            try:
                results = search_page(
                    viewer=request.user,
                    property_id=prop.pk,
                    query=query,
                    filters=filters,
                    number=request.GET.get("page"),
                )
            except SearchError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, error.message
                )
        fmt = export_format(request.GET.get("export", ""))
        if fmt is not None and results is not None:
            return _export(request, prop.pk, query, filters, fmt)
    context: dict[str, Any] = {
        "form": form,
        "results": results,
        "params": _params(request),
    }
    if request.htmx and request.htmx.target == "search-results":
        return render(request, "search/_results.html", context)
    context["saved"] = saved_searches_visible(
        viewer=request_actor(request), property_id=prop.pk
    )
    context["save_form"] = SavedSearchForm()
    return render(request, "search/search.html", context)


def _export(
    request: HtmxHttpRequest, property_id: int, query: str, filters: Any, fmt: Any
) -> HttpResponseBase:
    if not request.user.has_perm("guests.export_guests"):
        raise PermissionDenied
    table = search_table(request.user, property_id=property_id, query=query,
                         filters=filters)  # fmt: skip
    return export_response(table=table, fmt=fmt, actor=request.user,
                           what="search.results", query=query,
                           filters=filters.to_json())  # fmt: skip


def _params(request: HtmxHttpRequest) -> str:
    """The query string of the search without the page, for links and saving."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_POST
@permission_required("guests.view_guest", raise_exception=True)
def saved_create(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.POST)
    save_form = SavedSearchForm(request.POST)
    if not form.is_valid():
        for problem in form.problems():
            messages.error(request, _("检索未保存：%(problem)s") % {"problem": problem})
    elif not save_form.is_valid():
        messages.error(request, _("请填写检索名称"))
    else:
        try:
            saved_search_create(
                actor=request_actor(request),
                property=viewer_property(request.user),
                name=save_form.cleaned_data["name"],
                query=form.cleaned_data["q"],
                filters=form.filters(),
                shared=save_form.cleaned_data["shared"],
            )
        except SearchError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("检索已保存"))
    return redirect(_search_url(form.data.get("q", ""), _filters_shown(form)))


def _filters_shown(form: SearchForm) -> dict[str, str]:
    """The filters to show again: as typed, so a wrong one can be corrected."""
    if form.is_valid():
        return form.filters_json()
    names = [name for name in form.fields if name != "q"]
    return {name: str(form.data[name]) for name in names if form.data.get(name)}


@permission_required("guests.view_guest", raise_exception=True)
def saved_run(request: HtmxHttpRequest, saved_id: int) -> HttpResponse:
    saved = get_object_or_404(
        saved_searches_visible(
            viewer=request_actor(request),
            property_id=viewer_property(request.user).pk,
        ),
        pk=saved_id,
    )
    return redirect(_search_url(saved.query, saved_search_filters(saved).to_json()))


@require_POST
@permission_required("guests.view_guest", raise_exception=True)
def saved_delete(request: HtmxHttpRequest, saved_id: int) -> HttpResponse:
    actor = request_actor(request)
    saved = get_object_or_404(
        saved_searches_visible(
            viewer=actor, property_id=viewer_property(request.user).pk
        ),
        pk=saved_id,
    )
    try:
        saved_search_delete(actor=actor, saved=saved)
    except SearchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除保存的检索"))
    return redirect("search:search")


def _search_url(query: str, filters: dict[str, str]) -> str:
    params = {"q": query, **filters} if query else dict(filters)
    return f"{reverse('search:search')}?{urlencode(params)}"
