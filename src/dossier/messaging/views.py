"""The replies inbox, the SMS preview and the gateway's callback; each view parses,
authorises and delegates."""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dossier.core.exports import Column, Kind, Table, export_format, export_response
from dossier.messaging.callbacks import CallbackRefused, sms_callback_receive
from dossier.messaging.gateways import PayloadError
from dossier.messaging.models import InboundMessage
from dossier.messaging.selectors import inbox_replies, replies_unhandled_count
from dossier.messaging.services import reply_mark_handled
from dossier.messaging.sms import sms_preview
from dossier.web.http import HtmxHttpRequest, request_actor
from dossier.web.paging import page_of
from dossier.web.selectors import viewer_property


@require_GET
@permission_required("messaging.view_inboundmessage", raise_exception=True)
def inbox(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    replies = inbox_replies(viewer=request.user, property_id=prop.pk)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        every = replies.iterator(chunk_size=2000)
        return export_response(table=_inbox_table(every), fmt=fmt,
                               actor=request.user, what="messaging.inbox")  # fmt: skip
    page = page_of(request, replies)
    unhandled = replies_unhandled_count(viewer=request.user, property_id=prop.pk)
    context = {"replies": page, "page": page, "unhandled": unhandled}
    return render(request, "messaging/inbox.html", context)


@require_POST
@permission_required("messaging.view_inboundmessage", raise_exception=True)
def reply_handled(request: HttpRequest, reply_id: int) -> HttpResponse:
    """Mark one reply of the inbox as dealt with; it no longer counts as unread."""
    prop = viewer_property(request.user)
    reply = get_object_or_404(
        inbox_replies(viewer=request.user, property_id=prop.pk), pk=reply_id
    )
    reply_mark_handled(actor=request_actor(request), reply=reply)
    messages.success(
        request, _("已标记为已处理：%(number)s") % {"number": reply.from_address}
    )
    # Back to the page the reply was on, so that the next one is at hand.
    page = request.POST.get("page", "")
    inbox_url = reverse("messaging:inbox")
    return redirect(f"{inbox_url}?page={page}" if page.isdigit() else inbox_url)


def _inbox_table(replies: Iterable[InboundMessage]) -> Table:
    """The replies as the inbox lists them, received times in the server's zone."""
    columns = [
        Column(_("收到时间"), Kind.DATETIME),
        Column(_("号码")),
        Column(_("客人")),
        Column(_("内容")),
    ]
    rows = (
        [
            timezone.localtime(reply.received_at),
            reply.from_address,
            str(reply.guest) if reply.guest else "",
            reply.body,
        ]
        for reply in replies
    )
    return Table(_("短信回复"), columns, rows)


@require_GET
@permission_required("messaging.add_message", raise_exception=True)
def preview(request: HtmxHttpRequest) -> HttpResponse:
    """The length, parts and cost of a text: the whole page, or the htmx fragment."""
    # A campaign form sends its field ``body``; the preview page its ``text``.
    text = request.GET.get("text", request.GET.get("body", ""))
    template = "messaging/_preview.html" if request.htmx else "messaging/preview.html"
    return render(request, template, {"text": text, "preview": sms_preview(text)})


@csrf_exempt
@require_POST
def sms_callback(request: HttpRequest) -> HttpResponse:
    """Delivery reports and replies pushed by the SMS gateway, signed (no login)."""
    try:
        received = sms_callback_receive(
            timestamp=request.headers.get("X-Dossier-Timestamp"),
            signature=request.headers.get("X-Dossier-Signature"),
            body=request.body,
        )
    except CallbackRefused as error:
        return JsonResponse({"code": "forbidden", "message": str(error)}, status=403)
    except PayloadError as error:
        return JsonResponse({"code": "invalid", "message": str(error)}, status=400)
    return JsonResponse({"reports": received.reports, "replies": received.replies})
