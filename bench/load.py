"""Concurrent clients on loopback: look-ups and cards over HTTP while an import runs.

Two paces: a closed loop, each client asking again as soon as it has its answer
(saturation: the latency is then set by how many requests the server completes a
second), and the desk's pace, each client asking every ``DESK_PACE`` seconds like a
clerk typing into the look-up box, which asks 150 ms after the last key.
"""

import http.client
import json
import os
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
# The longest run: the import of a closed loop gets what CPU the saturated server
# leaves it, on two cores a sixth of what it would have alone.
MAX_SECONDS = 600.0
MIN_SECONDS = 3.0
MAX_REQUESTS = 200_000
START_SECONDS = 120.0
# Seconds from one request of a desk client to its next, drawn evenly between the two.
DESK_PACE = (0.2, 0.3)
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
    # CPU seconds the server's processes used while the clients ran; None where the
    # system does not tell (no /proc).
    server_cpu_seconds: float | None = None


def _client(
    port: int,
    cookie: str,
    paths: list[str],
    stop: threading.Event,
    result: LoadResult,
    lock: threading.Lock,
    seed: int,
    server: subprocess.Popen[str],
    pace: tuple[float, float] | None,
) -> None:
    rng = random.Random(seed)
    if pace is not None:
        # Clerks do not start typing together: each starts within one pace.
        stop.wait(rng.uniform(0, pace[1]))
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
        if pace is not None:
            stop.wait(max(rng.uniform(*pace) - (time.perf_counter() - started), 0))


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


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of process ``pid`` and its children, from /proc."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0.0
        for each in [pid, *map(int, children)]:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def load_run(
    *,
    cookie: str,
    paths: list[str],
    import_file: Path,
    pace: tuple[float, float] | None = None,
) -> LoadResult:
    """Serve, start an import of ``import_file``, and hit the server until it ends;
    with ``pace``, each client waits that many seconds (drawn between the two) from
    one request to its next, else asks again at once.

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
            result = _run(server, log, cookie, paths, import_file, pace)
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
    pace: tuple[float, float] | None,
) -> LoadResult:
    result = LoadResult()
    port = _port(server, log)
    cpu_before = _cpu_seconds(server.pid)
    stop, lock = threading.Event(), threading.Lock()
    threads = [
        threading.Thread(
            target=_client,
            args=(port, cookie, paths, stop, result, lock, n, server, pace),
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
        importer.communicate()
        out = json.dumps(
            {"committed": False, "error": f"not done in {MAX_SECONDS:.0f} s, stopped"}
        )
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
    cpu_after = _cpu_seconds(server.pid)
    if cpu_before is not None and cpu_after is not None:
        result.server_cpu_seconds = cpu_after - cpu_before
    code = server.poll()
    if code is not None:
        raise ServerDied(
            f"the bench server stopped during the run with exit code {code}, after "
            f"{len(result.durations_ms):,} requests\n{_tail(log)}"
        )
    return result
