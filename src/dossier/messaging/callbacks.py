"""Delivery reports and replies that the SMS gateway pushes to Dossier.

Where the hotel's server can be reached from outside, the provider posts to
``/messaging/sms/callback/`` the items it would otherwise hand out on a pull, as one
JSON object ``{"reports": [...], "replies": [...]}`` (either list may be left out),
signed with the shared secret ``DOSSIER_SMS_CALLBACK_SECRET``::

    X-Dossier-Timestamp: 1803718805                  (Unix seconds)
    X-Dossier-Signature: sha256=<hex of HMAC-SHA256(secret, "<timestamp>." + body)>

A post signed more than five minutes away from the server's clock is refused, so a
captured post cannot be played back later; within that window a repeat changes
nothing, because each report and each reply is recorded once.
"""

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from dossier.messaging.gateways import (
    PayloadError,
    Reply,
    StatusReport,
    reply_read,
    report_read,
)
from dossier.messaging.services import PollReport, sms_updates_record

_Item = TypeVar("_Item", StatusReport, Reply)

# How far the signed time may be from the server's clock, in seconds.
CLOCK_TOLERANCE = 300
# Items in one post; a provider with more posts again.
MAX_ITEMS = 1000


class CallbackRefused(Exception):
    """A post without a valid signature: nothing in it was read."""


def callback_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Dossier-Signature`` value of ``body`` sent at ``timestamp``."""
    signed = timestamp.encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def callback_verify(
    *, timestamp: str | None, signature: str | None, body: bytes, now: float
) -> None:
    """Refuse a post that is unsigned, wrongly signed or signed too long ago."""
    secret = settings.DOSSIER_SMS_CALLBACK_SECRET
    if not secret:
        raise CallbackRefused(_("未配置短信回调密钥，不接收推送"))
    if not timestamp or not signature:
        raise CallbackRefused(_("缺少签名或时间戳"))
    if not timestamp.isascii() or not timestamp.isdigit():
        raise CallbackRefused(_("时间戳应是 Unix 秒数"))
    if abs(now - int(timestamp)) > CLOCK_TOLERANCE:
        raise CallbackRefused(_("时间戳与服务器时间相差超过 5 分钟"))
    expected = callback_signature(secret=secret, timestamp=timestamp, body=body)
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8")):
        raise CallbackRefused(_("签名不正确"))


def callback_read(body: bytes) -> tuple[list[StatusReport], list[Reply]]:
    """Every report and reply of a post, or ``PayloadError`` naming the first fault."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PayloadError(_("内容不是 UTF-8 编码的 JSON")) from None
    if not isinstance(payload, dict):
        raise PayloadError(_("内容应是含 reports 和 replies 的 JSON 对象"))
    reports = _items(payload, "reports", report_read)
    replies = _items(payload, "replies", reply_read)
    if len(reports) + len(replies) > MAX_ITEMS:
        raise PayloadError(
            _("一次最多推送 %(limit)s 项，请分批推送") % {"limit": MAX_ITEMS}
        )
    return reports, replies


def _items(
    payload: dict[str, object], key: str, read: Callable[[object], _Item]
) -> list[_Item]:
    raw = payload.get(key, [])
    if not isinstance(raw, list):
        raise PayloadError(_("%(key)s 应是列表") % {"key": key})
    if len(raw) > MAX_ITEMS:
        raise PayloadError(
            _("一次最多推送 %(limit)s 项，请分批推送") % {"limit": MAX_ITEMS}
        )
    items = []
    for index, item in enumerate(raw):
        try:
            items.append(read(item))
        except PayloadError as error:
            raise PayloadError(f"{key}[{index}]: {error}") from None
    return items


def sms_callback_receive(
    *, timestamp: str | None, signature: str | None, body: bytes
) -> PollReport:
    """Check a pushed post, then record all of its items or, on a fault, none."""
    callback_verify(
        timestamp=timestamp, signature=signature, body=body, now=time.time()
    )
    reports, replies = callback_read(body)
    with transaction.atomic():
        return sms_updates_record(reports=reports, replies=replies)
