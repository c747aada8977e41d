"""Guest pages: the guest page with card, history, observations and change log."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dossier.guests.selectors import card_queryset, card_viewer, guest_card, guests_visible


@permission_required("guests.view_guest", raise_exception=True)
def guest_detail(request: HttpRequest, guest_id: int) -> HttpResponse:
    if not guests_visible(request.user).filter(pk=guest_id).exists():
        raise Http404
    guest = card_queryset().get(pk=guest_id)
    card = guest_card(guest, viewer=card_viewer(request.user))
    return render(request, "guests/detail.html", {"guest": guest, "card": card})
