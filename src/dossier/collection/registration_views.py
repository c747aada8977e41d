"""Pages of registration cards: the desk form, the public link a guest fills in on
their phone, the queue staff confirm from, and the printable blank card."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.care.models import ConsentChannel
from dossier.collection.errors import CollectionError
from dossier.collection.exports import links_table, registration_table
from dossier.collection.forms import CardForm, LinkForm, add_errors
from dossier.collection.models import (
    Registration,
    RegistrationKind,
    RegistrationLink,
    RegistrationStatus,
)
from dossier.collection.registrations import (
    CardInput,
    link_create,
    link_revoke,
    registration_confirm,
    registration_matches,
    registration_reject,
    registration_submit,
    submission_allowed,
)
from dossier.core.exports import export_format, export_response
from dossier.guests.selectors import guests_visible
from dossier.web.http import request_actor
from dossier.web.paging import page_of
from dossier.web.selectors import viewer_property

CONFIRM = "collection.confirm_registration"


def _kind(kind: str) -> RegistrationKind:
    if kind not in RegistrationKind.values:
        raise Http404
    return RegistrationKind(kind)


def _card(form: CardForm) -> CardInput:
    return CardInput(**form.cleaned_data)


@permission_required(CONFIRM, raise_exception=True)
def desk_form(request: HttpRequest, kind: str) -> HttpResponse:
    """Staff fill in a card with the guest at the desk."""
    kind_ = _kind(kind)
    prop = viewer_property(request.user)
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = registration_submit(
                property=prop,
                kind=kind_,
                data=_card(form),
                actor=request_actor(request),
            )
        except CollectionError as error:
            add_errors(form, error)
        else:
            return redirect("collection:registration", registration_id=registration.pk)
    context = {"form": form, "kind": kind_, "public": False}
    return render(request, "collection/card_form.html", context)


def public_form(request: HttpRequest, token: str) -> HttpResponse:
    """The link a guest opens on their phone; no login, rate-limited."""
    link = (
        RegistrationLink.objects.select_related("property").filter(token=token).first()
    )
    if link is None or not link.is_open():
        return render(request, "collection/card_closed.html", status=404)
    form = CardForm(request.POST or None)
    context: dict[str, Any] = {
        "form": form,
        "kind": RegistrationKind(link.kind),
        "public": True,
        "link": link,
    }
    if request.method == "POST":
        address = request.META.get("REMOTE_ADDR", "")
        if not submission_allowed(address, link):
            form.add_error(None, _("提交过于频繁，请稍后再试"))
            return render(request, "collection/card_form.html", context, status=429)
        if form.is_valid():
            try:
                registration_submit(
                    property=link.property, kind=link.kind, data=_card(form), link=link
                )
            except CollectionError as error:
                add_errors(form, error)
            else:
                return render(request, "collection/card_thanks.html", {"link": link})
    return render(request, "collection/card_form.html", context)


def card_print(request: HttpRequest, kind: str) -> HttpResponse:
    """The blank card to print, A4 or A5."""
    kind_ = _kind(kind)
    size = "A5" if request.GET.get("size") == "A5" else "A4"
    context = {
        "kind": kind_,
        "size": size,
        "form": CardForm(),
        "property": viewer_property(request.user),
    }
    return render(request, "collection/card_print.html", context)


@permission_required(CONFIRM, raise_exception=True)
def registration_list(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    status = request.GET.get("status", RegistrationStatus.PENDING)
    if status not in RegistrationStatus.values:
        status = RegistrationStatus.PENDING
    rows = Registration.objects.filter(property=prop, status=status).select_related(
        "guest"
    )
    links = RegistrationLink.objects.filter(
        property=prop, revoked_at__isnull=True
    ).order_by("-created_at")
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None and request.GET.get("list") == "links":
        return export_response(
            table=links_table(links),
            fmt=fmt,
            actor=request.user,
            what="collection.registration_links",
        )
    if fmt is not None:
        label = str(RegistrationStatus(status).label)
        every = rows.iterator(chunk_size=2000)
        return export_response(table=registration_table(every, label), fmt=fmt,
                               actor=request.user, what="collection.registrations",
                               status=status)  # fmt: skip
    context = {
        "rows": page_of(request, rows),
        "status": status,
        "statuses": RegistrationStatus.choices,
        "links": links,
        "link_form": LinkForm(),
    }
    return render(request, "collection/registrations.html", context)


@permission_required(CONFIRM, raise_exception=True)
def registration_detail(request: HttpRequest, registration_id: int) -> HttpResponse:
    prop = viewer_property(request.user)
    registration = get_object_or_404(Registration, pk=registration_id, property=prop)
    matches = (
        registration_matches(registration) if registration.status == "pending" else []
    )
    if request.method == "POST":
        return _decide(request, registration, matches)
    return render(
        request,
        "collection/registration.html",
        {
            "registration": registration,
            "matches": matches,
            "channels": [
                ConsentChannel(c).label if c in ConsentChannel.values else c
                for c in registration.marketing_channels
            ],
        },
    )


def _decide(
    request: HttpRequest, registration: Registration, matches: list[Any]
) -> HttpResponse:
    actor = request_actor(request)
    action = request.POST.get("action", "")
    try:
        if action == "reject":
            registration_reject(actor=actor, registration=registration)
            messages.success(request, _("已退回该登记"))
            return redirect("collection:registrations")
        guest = None
        if action == "attach":
            chosen = request.POST.get("guest", "")
            guest = (
                guests_visible(request.user)
                .filter(pk=chosen if chosen.isdigit() else 0)
                .first()
            )
            if guest is None:
                raise CollectionError(_("请选择要并入的客人档案"), field="guest")
        guest = registration_confirm(
            actor=actor, registration=registration, guest=guest
        )
    except CollectionError as error:
        messages.error(request, error.message)
        return redirect("collection:registration", registration_id=registration.pk)
    messages.success(request, _("已建档：%(name)s") % {"name": guest.full_name})
    return redirect("guests:detail", guest_id=guest.pk)


@require_POST
@permission_required(CONFIRM, raise_exception=True)
def link_new(request: HttpRequest) -> HttpResponse:
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("登记链接未建立：请检查表格与有效天数（1–365 天）"))
        return redirect("collection:registrations")
    link = link_create(
        actor=request_actor(request),
        property=viewer_property(request.user),
        **form.cleaned_data,
    )
    url = request.build_absolute_uri(
        reverse("collection:public", kwargs={"token": link.token})
    )
    messages.success(request, _("已建立登记链接：%(url)s") % {"url": url})
    return redirect("collection:registrations")


@require_POST
@permission_required(CONFIRM, raise_exception=True)
def link_close(request: HttpRequest, link_id: int) -> HttpResponse:
    link = get_object_or_404(
        RegistrationLink, pk=link_id, property=viewer_property(request.user)
    )
    link_revoke(actor=request_actor(request), link=link)
    messages.success(request, _("链接已停用"))
    return redirect("collection:registrations")
