"""A fake SMS gateway on loopback that speaks the HTTP gateway's JSON like a provider.

It accepts messages, refuses some with an error code (a bad number, a blacklisted
one), checks the API key, and queues delivery reports and replies for the next pull
or pushes them, signed, to a callback URL.
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeGatewayState:
    api_key: str
    blacklist: set[str] = field(default_factory=set)
    sent: list[dict[str, Any]] = field(default_factory=list)
    reports: list[dict[str, str]] = field(default_factory=list)
    replies: list[dict[str, str]] = field(default_factory=list)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def deliver(self, provider_id: str, status: str = "delivered") -> None:
        """Queue a delivery report for the next pull."""
        with self.lock:
            self.reports.append(
                {"id": provider_id, "status": status, "at": "2027-02-28T09:00:05+08:00"}
            )

    def reply(self, sender: str, text: str, reply_id: str) -> None:
        """Queue a guest's reply for the next pull."""
        with self.lock:
            self.replies.append(
                {
                    "id": reply_id,
                    "from": sender,
                    "text": text,
                    "at": "2027-02-28T09:10:00+08:00",
                }
            )


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") == f"Bearer {self.server.state.api_key}":
            return True
        self._answer(401, {"code": "UNAUTHORIZED", "message": "bad api key"})
        return False

    def do_POST(self) -> None:
        if not self._authorised():
            return
        if self.path != "/sms/send":
            self._answer(404, {"code": "NOT_FOUND"})
            return
        length = int(self.headers.get("Content-Length", "0"))
        payload = json.loads(self.rfile.read(length).decode("utf-8"))
        state = self.server.state
        if not str(payload.get("to", "")).startswith("+86"):
            self._answer(400, {"code": "INVALID_NUMBER", "message": "号码无效"})
        elif payload["to"] in state.blacklist:
            self._answer(400, {"code": "BLACKLISTED", "message": "用户已退订"})
        else:
            with state.lock:
                provider_id = f"fake-{next(state.ids)}"
                state.sent.append({**payload, "id": provider_id})
            self._answer(200, {"id": provider_id, "status": "accepted"})

    def do_GET(self) -> None:
        if not self._authorised():
            return
        state = self.server.state
        with state.lock:
            if self.path == "/sms/reports":
                items, state.reports = state.reports, []
                self._answer(200, {"reports": items})
            elif self.path == "/sms/replies":
                items, state.replies = state.replies, []
                self._answer(200, {"replies": items})
            else:
                self._answer(404, {"code": "NOT_FOUND"})


class _Server(ThreadingHTTPServer):
    state: FakeGatewayState


@dataclass
class Pushed:
    status: int
    body: dict[str, Any]


@dataclass
class FakeGateway:
    url: str
    state: FakeGatewayState

    def push(
        self,
        callback_url: str,
        secret: str,
        *,
        raw: bytes | None = None,
        timestamp: str | None = None,
        signature: str | None = None,
    ) -> Pushed:
        """Post the queued reports and replies (or ``raw``) as a provider does.

        The post is signed with ``secret`` unless ``signature`` replaces the signature
        (``""`` sends none); ``timestamp`` replaces the time of signing.
        """
        if raw is None:
            with self.state.lock:
                items = {"reports": self.state.reports, "replies": self.state.replies}
                self.state.reports, self.state.replies = [], []
            raw = json.dumps(items, ensure_ascii=False).encode("utf-8")
        stamp = str(int(time.time())) if timestamp is None else timestamp
        if signature is None:
            signed = stamp.encode() + b"." + raw
            digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
            signature = f"sha256={digest}"
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if stamp:
            headers["X-Dossier-Timestamp"] = stamp
        if signature:
            headers["X-Dossier-Signature"] = signature
        request = urllib.request.Request(
            callback_url, data=raw, method="POST", headers=headers
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=10) as response:
                return Pushed(response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            answer = error.read()
            is_json = error.headers.get_content_type() == "application/json"
            return Pushed(error.code, json.loads(answer) if is_json else {})


@contextmanager
def fake_gateway(api_key: str) -> Iterator[FakeGateway]:
    """Run the fake gateway on 127.0.0.1 at a free port for the ``with`` block."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = FakeGatewayState(api_key=api_key)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield FakeGateway(url=f"http://{host!s}:{port}", state=server.state)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
