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
