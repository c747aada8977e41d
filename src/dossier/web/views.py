"""The dashboard and the lookup box."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from dossier.core.properties import property_default
from dossier.guests.selectors import card_viewer, guest_cards, guests_visible
from dossier.search.selectors import guest_lookup


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "web/dashboard.html", {})


@permission_required("guests.view_guest", raise_exception=True)
def lookup(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    prop = property_default()
    hits = guest_lookup(property_id=prop.pk, query=query, limit=10) if query else []
    visible = set(
        guests_visible(request.user)
        .filter(pk__in=[h.guest_id for h in hits])
        .values_list("pk", flat=True)
    )
    ids = [h.guest_id for h in hits if h.guest_id in visible]
    cards = guest_cards(ids, viewer=card_viewer(request.user))
    template = "web/_lookup_results.html" if request.htmx else "web/lookup.html"
    return render(request, template, {"query": query, "cards": cards})
