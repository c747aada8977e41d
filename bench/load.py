"""Concurrent clients on loopback: look-ups and cards over HTTP while an import runs."""

import http.client
import json
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

CLIENTS = 20
MAX_SECONDS = 120.0
MIN_SECONDS = 3.0
MAX_REQUESTS = 200_000


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
) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
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


def load_run(*, cookie: str, paths: list[str], import_file: Path) -> LoadResult:
    """Serve, start an import of ``import_file``, and hit the server until it ends."""
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.server"], stdout=subprocess.PIPE, text=True
    )
    result = LoadResult()
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        stop, lock = threading.Event(), threading.Lock()
        threads = [
            threading.Thread(
                target=_client, args=(port, cookie, paths, stop, result, lock, n)
            )
            for n in range(CLIENTS)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        importer = subprocess.Popen(
            [sys.executable, "-m", "bench.importer", str(import_file)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            out, _ = importer.communicate(timeout=MAX_SECONDS)
        except subprocess.TimeoutExpired:
            importer.kill()
            out, _ = importer.communicate()
        result.import_result = json.loads(out.strip().splitlines()[-1]) if out else {}
        remaining = MIN_SECONDS - (time.perf_counter() - started)
        if remaining > 0:
            time.sleep(remaining)
        stop.set()
        for thread in threads:
            thread.join()
        result.seconds = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    return result
