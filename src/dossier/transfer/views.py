"""Inbox pages: the list, opening one item, and the send form."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dossier.core.exports import export_format, export_response
from dossier.records.loans import notices_for
from dossier.records.selectors import loans_awaiting_approval
from dossier.transfer.errors import TransferError
from dossier.transfer.exports import inbox_table, read_words, sent_table
from dossier.transfer.forms import SendForm
from dossier.transfer.items import item_find, item_label, items_view
from dossier.transfer.models import ItemKind
from dossier.transfer.selectors import (
    delivery_for,
    inbox_of,
    sent_by,
    sent_state,
    unread_count,
)
from dossier.transfer.services import SendInput, delivery_open, transfer_send
from dossier.web.http import request_actor
from dossier.web.paging import page_of

PAGE = 100


def inbox(request: HttpRequest) -> HttpResponseBase:
    unread_only = request.GET.get("unread") == "1"
    found = inbox_of(request.user, unread_only=unread_only)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=inbox_table(request.user, found.iterator(chunk_size=2000)),
            fmt=fmt,
            actor=request.user,
            what="transfer.inbox",
            unread_only=unread_only,
        )
    page = page_of(request, found)
    deliveries = list(page)
    views = items_view(request.user, [d.transfer for d in deliveries])
    rows = list(zip(deliveries, views, strict=True))
    context = {
        "page": page,
        "rows": rows,
        "unread": unread_count(request.user),
        "unread_only": unread_only,
        # Loan requests naming this user as approver wait here as well as on the
        # archive's approval page, so that an approver is not left unaware.
        "loan_approvals": list(loans_awaiting_approval(request_actor(request))[:PAGE]),
        # A request that lapsed unapproved is told to its borrower here.
        "loan_notices": list(notices_for(request_actor(request))[:PAGE]),
    }
    return render(request, "transfer/inbox.html", context)


def sent(request: HttpRequest) -> HttpResponseBase:
    found = sent_by(request.user)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=sent_table(request.user, found.iterator(chunk_size=2000)),
            fmt=fmt,
            actor=request.user,
            what="transfer.sent",
        )
    page = page_of(request, found)
    transfers = list(page)
    views = items_view(request.user, transfers)
    rows = []
    for transfer, view in zip(transfers, views, strict=True):
        state = sent_state(transfer)
        rows.append((transfer, view, state, read_words(state)))
    context = {"page": page, "rows": rows, "unread": unread_count(request.user)}
    return render(request, "transfer/sent.html", context)


def delivery_detail(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = delivery_for(request.user, delivery_id)
    if delivery is None:
        raise Http404
    view = delivery_open(actor=request_actor(request), delivery=delivery)
    context = {"delivery": delivery, "item": view}
    return render(request, "transfer/delivery.html", context)


def send(request: HttpRequest) -> HttpResponse:
    initial = {
        "kind": request.GET.get("kind", "case"),
        "item_id": request.GET.get("id", ""),
        "target_kind": "user",
    }
    form = SendForm(request.POST or None, initial=initial)
    kind, item_id = request.GET.get("kind", ""), request.GET.get("id", "")
    if request.method == "POST":
        kind, item_id = request.POST.get("kind", ""), request.POST.get("item_id", "")
    item = None
    if item_id.isdigit():
        item = item_find(request.user, kind, int(item_id))
    if request.method == "POST" and form.is_valid():
        data = SendInput(
            kind=form.cleaned_data["kind"],
            item_id=form.cleaned_data["item_id"],
            target_kind=form.cleaned_data["target_kind"],
            target=form.target(),
            note=form.cleaned_data["note"],
        )
        try:
            result = transfer_send(actor=request_actor(request), data=data)
        except TransferError as error:
            field = {"target": None, "id": "item_id"}.get(error.field, error.field)
            form.add_error(field if field in form.fields else None, error.message)
        else:
            message = _("已发送给 %(n)s 人") % {"n": result.delivered}
            if result.left_out:
                message += _("；%(n)s 人无权查看，未发送给他们") % {
                    "n": result.left_out
                }
            messages.success(request, message)
            return redirect("transfer:inbox")
    context = {
        "form": form,
        "item_label": item_label(item) if item else "",
        "item_kind": ItemKind(kind).label if item else "",
    }
    status = 422 if form.errors else 200
    return render(request, "transfer/send.html", context, status=status)
