"""SMS gateways: where an SMS goes, and where delivery reports and replies come from.

The console gateway (the default) writes each message to a JSON-lines file and the
log, so a demo or development install never sends a real SMS. The HTTP gateway talks
JSON to a provider: ``POST {url}/sms/send``, ``GET {url}/sms/reports`` and
``GET {url}/sms/replies``, with the API key as a bearer token. Reports and replies
are pulled, because a hotel's server is often not reachable from outside; where it
is, the provider may push the same items to ``callbacks.py`` instead. Both read each
item with ``report_read`` / ``reply_read``.
"""

import json
import logging
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.zh.phones import InvalidPhone, normalize_phone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    """What the gateway said to one message: accepted with an id, or refused."""

    accepted: bool
    provider_id: str = ""
    error_code: str = ""
    error: str = ""


@dataclass(frozen=True)
class StatusReport:
    """A later word on a message: ``delivered``, ``failed`` or ``blacklisted``."""

    provider_id: str
    status: str
    error_code: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class Reply:
    """An SMS a guest sent back."""

    from_e164: str
    text: str
    provider_id: str
    at: datetime | None = None


_Item = TypeVar("_Item", "StatusReport", "Reply")


class GatewayUnavailable(RuntimeError):
    """The gateway could not be reached or did not answer sensibly; nothing was sent."""


class PayloadError(ValueError):
    """A report or reply from the gateway that cannot be read; says which field."""


# The longest text kept of a reply; an upstream SMS is at most a few hundred characters.
REPLY_MAX_CHARS = 2000


def report_read(item: object) -> StatusReport:
    """A delivery report ``{"id", "status", "code"?, "at"?}`` as the gateway wrote it."""
    fields = _object(item)
    return StatusReport(
        provider_id=_text(fields, "id", limit=100),
        status=_text(fields, "status", limit=50),
        error_code=_text(fields, "code", limit=50, required=False),
        at=_instant(fields, "at"),
    )


def reply_read(item: object) -> Reply:
    """A guest's reply ``{"id", "from", "text", "at"?}``; the sender becomes E.164."""
    fields = _object(item)
    sender = _text(fields, "from", limit=40)
    try:
        from_e164 = normalize_phone(sender).e164
    except InvalidPhone as error:
        raise PayloadError(
            _("from 不是有效的号码：%(reason)s") % {"reason": error.message}
        ) from None
    return Reply(
        from_e164=from_e164,
        text=_text(fields, "text", limit=REPLY_MAX_CHARS, allow_blank=True),
        provider_id=_text(fields, "id", limit=100),
        at=_instant(fields, "at"),
    )


def _object(item: object) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise PayloadError(_("每一项都应是 JSON 对象"))
    return item


def _text(
    fields: dict[str, Any],
    name: str,
    *,
    limit: int,
    required: bool = True,
    allow_blank: bool = False,
) -> str:
    raw = fields.get(name)
    if raw is None and not required:
        return ""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise PayloadError(_("缺少字段 %(name)s，或它不是文字") % {"name": name})
    if not raw.strip() and required and not allow_blank:
        raise PayloadError(_("字段 %(name)s 不能为空") % {"name": name})
    if "\x00" in raw:
        raise PayloadError(_("字段 %(name)s 不能包含空字符") % {"name": name})
    if len(raw) > limit:
        raise PayloadError(
            _("字段 %(name)s 超过 %(limit)s 个字符") % {"name": name, "limit": limit}
        )
    return raw if allow_blank else raw.strip()


def _instant(fields: dict[str, Any], name: str) -> datetime | None:
    """An ISO 8601 time; one without a zone is in the server's zone."""
    raw = fields.get(name)
    if raw is None or raw == "":
        return None
    try:
        at = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        at = None
    if at is None:
        raise PayloadError(
            _("字段 %(name)s 应是 ISO 8601 时间，例如 2027-02-28T09:00:05+08:00")
            % {"name": name}
        )
    return at if timezone.is_aware(at) else timezone.make_aware(at)


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str, reference: str) -> SendResult: ...

    def fetch_reports(self) -> list[StatusReport]: ...

    def fetch_replies(self) -> list[Reply]: ...


class ConsoleGateway:
    """Writes messages to a file instead of sending them; has no reports or replies."""

    def __init__(self, outbox: Path) -> None:
        self.outbox = outbox

    def send(self, *, to: str, text: str, reference: str) -> SendResult:
        provider_id = f"console-{uuid.uuid4().hex[:12]}"
        line = {"id": provider_id, "to": to, "text": text, "reference": reference}
        self.outbox.parent.mkdir(parents=True, exist_ok=True)
        with self.outbox.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        logger.info("sms written to outbox", extra={"sms_id": provider_id, "to": to})
        return SendResult(accepted=True, provider_id=provider_id)

    def fetch_reports(self) -> list[StatusReport]:
        return []

    def fetch_replies(self) -> list[Reply]:
        return []


class HttpGateway:
    """A provider's JSON API over HTTP(S).

    A 2xx answer with an ``id`` is an accepted message; a 4xx answer with a ``code`` is
    a refusal of that message (bad number, blacklisted, no balance); anything else —
    no connection, a timeout, a 5xx, a body that is not JSON — is ``GatewayUnavailable``.
    """

    def __init__(self, *, url: str, api_key: str, timeout: float = 10) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        # Proxies from the environment are not used: the gateway is called directly.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def send(self, *, to: str, text: str, reference: str) -> SendResult:
        status, body = self._call(
            "POST", "/sms/send", {"to": to, "text": text, "reference": reference}
        )
        if status in (401, 403):
            raise GatewayUnavailable(f"the SMS gateway refused the API key ({status})")
        if 200 <= status < 300 and body.get("id"):
            return SendResult(accepted=True, provider_id=str(body["id"]))
        if 400 <= status < 500 and body.get("code"):
            return SendResult(
                accepted=False,
                error_code=str(body["code"]),
                error=str(body.get("message", ""))[:500],
            )
        raise GatewayUnavailable(f"unexpected answer {status} from the SMS gateway")

    def fetch_reports(self) -> list[StatusReport]:
        return _readable(self._list("/sms/reports", "reports"), report_read)

    def fetch_replies(self) -> list[Reply]:
        return _readable(self._list("/sms/replies", "replies"), reply_read)

    def _list(self, path: str, key: str) -> list[object]:
        status, body = self._call("GET", path, None)
        items = body.get(key)
        if status != 200 or not isinstance(items, list):
            raise GatewayUnavailable(f"unexpected answer {status} from {path}")
        return items

    def _call(
        self, method: str, path: str, payload: dict[str, str] | None
    ) -> tuple[int, dict[str, Any]]:
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.api_key}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, _json(response.read())
        except urllib.error.HTTPError as error:
            return error.code, _json(error.read())
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise GatewayUnavailable(f"SMS gateway unreachable: {error}") from None


def _json(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise GatewayUnavailable(
            "the SMS gateway answered something not JSON"
        ) from None
    return body if isinstance(body, dict) else {}


def _readable(items: list[object], read: Callable[[object], _Item]) -> list[_Item]:
    """The items that can be read; a pulled item that cannot is logged and skipped,
    since the gateway has already handed it over and would only hand it over again."""
    readable = []
    for item in items:
        try:
            readable.append(read(item))
        except PayloadError as error:
            logger.warning("unreadable item from the SMS gateway skipped: %s", error)
    return readable


def sms_gateway() -> SmsGateway:
    """The gateway the settings name: ``console`` (default) or ``http``."""
    if settings.DOSSIER_SMS_BACKEND == "http":
        return HttpGateway(
            url=settings.DOSSIER_SMS_URL,
            api_key=settings.DOSSIER_SMS_API_KEY,
            timeout=settings.DOSSIER_SMS_TIMEOUT,
        )
    return ConsoleGateway(settings.DOSSIER_SMS_OUTBOX)
