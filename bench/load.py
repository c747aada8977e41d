"""Concurrent clients on loopback: look-ups and cards over HTTP while an import runs."""

import http.client
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

CLIENTS = 20
MAX_SECONDS = 120.0
MIN_SECONDS = 3.0
MAX_REQUESTS = 200_000
START_SECONDS = 120.0
# The commands of the server and the importer, each in a process of its own.
SERVER = [sys.executable, "-m", "bench.server"]
IMPORTER = [sys.executable, "-m", "bench.importer"]


class ServerDied(Exception):
    """The bench server did not start, or stopped before the run ended."""


@dataclass
class LoadResult:
    durations_ms: list[float] = field(default_factory=list)
    failed: int = 0
    locked: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    import_result: dict[str, object] = field(default_factory=dict)


def _client(
    port: int,
    cookie: str,
    paths: list[str],
    stop: threading.Event,
    result: LoadResult,
    lock: threading.Lock,
    seed: int,
    server: subprocess.Popen[str],
) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        if server.poll() is not None:
            # Every request would be refused from now on: stop, and say why once.
            stop.set()
            break
        path = rng.choice(paths)
        started = time.perf_counter()
        status, body = 0, b""
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
            response = connection.getresponse()
            status, body = response.status, response.read()
            connection.close()
        except OSError as error:
            body = str(error).encode()
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            result.durations_ms.append(elapsed)
            if status != 200:
                result.failed += 1
                if len(result.errors) < 5:
                    result.errors.append(f"{status} {path}: {body[:200]!r}")
            if b"database is locked" in body:
                result.locked += 1
            if len(result.durations_ms) >= MAX_REQUESTS:
                stop.set()


def _tail(log: IO[str], lines: int = 15) -> str:
    log.flush()
    log.seek(0)
    return "\n".join(log.read().splitlines()[-lines:])


def _port(server: subprocess.Popen[str], log: IO[str]) -> int:
    """The port the server printed first; :class:`ServerDied` when it printed none."""
    assert server.stdout is not None
    line = server.stdout.readline().strip()
    if line.isdigit():
        return int(line)
    try:
        code = server.wait(timeout=START_SECONDS)
    except subprocess.TimeoutExpired:
        server.kill()
        code = server.wait()
    raise ServerDied(
        f"the bench server (python -m bench.server) did not start: exit code {code}, "
        f"printed {line!r} instead of a port\n{_tail(log)}"
    )


def load_run(*, cookie: str, paths: list[str], import_file: Path) -> LoadResult:
    """Serve, start an import of ``import_file``, and hit the server until it ends.

    Raises :class:`ServerDied`, with the server's exit code and the end of its
    output, when the server does not start or stops during the run.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
        server = subprocess.Popen(
            SERVER,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            result = _run(server, log, cookie, paths, import_file)
        finally:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=10)
    return result


def _run(
    server: subprocess.Popen[str],
    log: IO[str],
    cookie: str,
    paths: list[str],
    import_file: Path,
) -> LoadResult:
    result = LoadResult()
    port = _port(server, log)
    stop, lock = threading.Event(), threading.Lock()
    threads = [
        threading.Thread(
            target=_client,
            args=(port, cookie, paths, stop, result, lock, n, server),
        )
        for n in range(CLIENTS)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    importer = subprocess.Popen(
        [*IMPORTER, str(import_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        out, _ = importer.communicate(timeout=MAX_SECONDS)
    except subprocess.TimeoutExpired:
        importer.kill()
        out, _ = importer.communicate()
    lines = out.strip().splitlines() if out else []
    try:
        result.import_result = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        result.import_result = {"committed": False, "error": lines[-1][:200]}
    remaining = MIN_SECONDS - (time.perf_counter() - started)
    if remaining > 0 and not stop.is_set():
        stop.wait(remaining)
    stop.set()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    code = server.poll()
    if code is not None:
        raise ServerDied(
            f"the bench server stopped during the run with exit code {code}, after "
            f"{len(result.durations_ms):,} requests\n{_tail(log)}"
        )
    return result
