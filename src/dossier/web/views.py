"""The dashboard, the lookup box, the health check, the icon and the page of an
expired form."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from dossier.search.errors import SearchError
from dossier.search.selectors import lookup_rows, query_notice
from dossier.web.http import HtmxHttpRequest
from dossier.web.selectors import dashboard_get, viewer_property

LOOKUP_LIMIT = 10
LOOKUP_PAGE_LIMIT = 50


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a stale security token: a page left open too long, or one
    opened before the user logged in again elsewhere."""
    return render(request, "403_csrf.html", status=403)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and bookmarks ask for /favicon.ico whatever the page links."""
    return redirect(static("web/favicon.svg"))


def dashboard(request: HttpRequest) -> HttpResponse:
    board = dashboard_get(prop=viewer_property(request.user), viewer=request.user)
    return render(request, "web/dashboard.html", {"board": board})


@permission_required("guests.view_guest", raise_exception=True)
def lookup(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    limit = LOOKUP_LIMIT if request.htmx else LOOKUP_PAGE_LIMIT
    prop = viewer_property(request.user)
    try:
        cards = lookup_rows(
            property_id=prop.pk, query=query, viewer=request.user, limit=limit
        )
        notice = query_notice(query)
    except SearchError as error:
        cards, notice = [], error.message
    template = "web/_lookup_results.html" if request.htmx else "web/lookup.html"
    context = {"query": query, "cards": cards, "notice": notice}
    return render(request, template, context)
