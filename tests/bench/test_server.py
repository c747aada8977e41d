"""``dossier serve --workers``: several processes on one socket, all stopped together."""

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def _get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", path)
    response = connection.getresponse()
    status, body = response.status, response.read()
    connection.close()
    return status, body


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_workers_share_one_socket_and_stop_together(tmp_path: Path) -> None:
    # given the bench's server with two worker processes
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="dossier.settings",
        DOSSIER_DATA_DIR=str(tmp_path),
        DOSSIER_DEBUG="false",
        DOSSIER_SECRET_KEY="test-secret",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        BENCH_SERVE_WORKERS="2",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        children = _children(server.pid)

        # when clients ask for the health page
        answers = [_get(port, "/healthz")[0] for _ in range(6)]

        # then every request is answered, by a server of two processes
        assert answers == [200] * 6
        assert len(children) == 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)

    # and stopping the first stops the other
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in children)


def _children(pid: int) -> list[int]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if found:
            return [int(child) for child in found]
        time.sleep(0.1)
    return []


@pytest.mark.parametrize("option", ["--workers", "--threads"])
def test_serve_refuses_fewer_than_one(option: str) -> None:
    # when / then
    with pytest.raises(CommandError, match=f"{option} 至少为 1"):
        call_command("serve", option, "0")
