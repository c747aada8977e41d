"""The replies inbox and the SMS preview; each view parses, authorises and delegates."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dossier.messaging.selectors import inbox_replies
from dossier.messaging.sms import sms_preview
from dossier.web.http import HtmxHttpRequest

INBOX_SIZE = 100


@require_GET
@permission_required("messaging.view_inboundmessage", raise_exception=True)
def inbox(request: HttpRequest) -> HttpResponse:
    replies = inbox_replies(limit=INBOX_SIZE)
    return render(request, "messaging/inbox.html", {"replies": replies})


@require_GET
@permission_required("messaging.add_message", raise_exception=True)
def preview(request: HtmxHttpRequest) -> HttpResponse:
    """The length, parts and cost of a text: the whole page, or the htmx fragment."""
    # A campaign form sends its field ``body``; the preview page its ``text``.
    text = request.GET.get("text", request.GET.get("body", ""))
    template = "messaging/_preview.html" if request.htmx else "messaging/preview.html"
    return render(request, template, {"text": text, "preview": sms_preview(text)})
