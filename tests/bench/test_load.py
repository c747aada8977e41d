"""The load run says plainly when its server dies, instead of a traceback."""

import sys
from pathlib import Path

import pytest

from bench import load
from bench.load import ServerDied, load_run

PATHS = ["/healthz"]


def test_a_server_that_does_not_start_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # given a server that fails before printing its port
    failing = "import sys; sys.stderr.write('settings are broken\\n'); sys.exit(3)"
    monkeypatch.setattr(load, "SERVER", [sys.executable, "-c", failing])

    # when
    with pytest.raises(ServerDied) as raised:
        load_run(cookie="x", paths=PATHS, import_file=tmp_path / "none.csv")

    # then the message says what happened, with the server's last words
    message = str(raised.value)
    assert "did not start: exit code 3" in message
    assert "settings are broken" in message


def test_a_server_that_dies_during_the_run_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # given a server that prints a port and stops, and an import that takes a while
    dying = (
        "import sys; print(9, flush=True); sys.stderr.write('killed\\n'); sys.exit(9)"
    )
    importing = "import json, time; time.sleep(1); print(json.dumps({'committed': 1}))"
    monkeypatch.setattr(load, "SERVER", [sys.executable, "-c", dying])
    monkeypatch.setattr(load, "IMPORTER", [sys.executable, "-c", importing])
    monkeypatch.setattr(load, "MIN_SECONDS", 0.5)

    # when
    with pytest.raises(ServerDied) as raised:
        load_run(cookie="x", paths=PATHS, import_file=tmp_path / "none.csv")

    # then
    message = str(raised.value)
    assert "stopped during the run with exit code 9" in message
    assert "killed" in message


ANSWERING = """
import http.server

class Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def test_desk_clients_wait_between_requests_and_the_closed_loop_does_not(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # given a server that answers at once and an import of about a second
    importing = "import json, time; time.sleep(1); print(json.dumps({'committed': 1}))"
    monkeypatch.setattr(load, "SERVER", [sys.executable, "-c", ANSWERING])
    monkeypatch.setattr(load, "IMPORTER", [sys.executable, "-c", importing])
    monkeypatch.setattr(load, "MIN_SECONDS", 0.5)

    # when the clients run at the desk's pace, then without pause
    desk = load_run(
        cookie="x", paths=PATHS, import_file=tmp_path / "none.csv", pace=(0.2, 0.3)
    )
    closed = load_run(cookie="x", paths=PATHS, import_file=tmp_path / "none.csv")

    # then each desk client asked at most once every 0.2 s, the closed loop far more
    most = load.CLIENTS * (desk.seconds / 0.2 + 1)
    assert load.CLIENTS <= len(desk.durations_ms) <= most
    assert len(closed.durations_ms) > 2 * most
    assert desk.failed == closed.failed == 0
    assert desk.server_cpu_seconds is not None
    assert desk.server_cpu_seconds >= 0
