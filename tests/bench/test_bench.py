"""The benchmark runs end to end at a tiny scale and reports every figure."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bench(*args: str, out: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "bench", *args, "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_bench_runs_at_tiny_scale(tmp_path: Path) -> None:
    # when the benchmark runs on 300 guests, in a clean environment without the
    # test suite's database settings
    done = _bench("--scale", "300", out=tmp_path)

    # then it succeeds and reports each figure with its baseline
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = json.loads((tmp_path / "report-sqlite.json").read_text(encoding="utf-8"))
    names = [f["name"] for f in report["figures"]]
    assert report["guests"] == 300
    assert "look-up + card by mobile, p50" in names
    assert "look-up + card by mobile, a guest with a history, p50" in names
    assert "card alone (guests.selectors), a guest with a history, p50" in names
    assert "import csv, validated and searchable" in names
    assert "under load: failed requests / 'database is locked'" in names
    assert "under load at desk pace: look-ups and cards over HTTP, p99" in names
    assert all(f["met"] is not False for f in report["figures"] if f["enforced"])
    assert (tmp_path / "report-sqlite.md").read_text(encoding="utf-8").startswith("#")


def test_bench_measures_only_the_parts_asked_for(tmp_path: Path) -> None:
    # when the benchmark is asked for the card figures alone
    done = _bench("--scale", "200", "--parts", "card", out=tmp_path)

    # then it reports them and skips the imports, the scan and the load
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = json.loads((tmp_path / "report-sqlite.json").read_text(encoding="utf-8"))
    names = [f["name"] for f in report["figures"]]
    assert report["parts"] == ["card"]
    assert "look-up + card by mobile, p50" in names
    assert not [n for n in names if n.startswith(("import", "under load", "search"))]


def test_bench_refuses_an_unknown_part(tmp_path: Path) -> None:
    # when a part is misspelt
    done = _bench("--parts", "card,imprts", out=tmp_path)

    # then nothing runs and the message names the part and the choices
    assert done.returncode == 2
    assert "unknown part imprts" in done.stderr
    assert "card, search, imports, duplicates, load" in done.stderr
    assert not (tmp_path / "report-sqlite.json").exists()


def test_reuse_is_for_the_parts_that_only_read(tmp_path: Path) -> None:
    for args in (["--reuse", "--parts", "card"], ["--reuse", "--database",
                 "postgres", "--parts", "card,imports"]):  # fmt: skip
        done = _bench(*args, out=tmp_path)

        assert done.returncode == 2
        assert "--reuse is for --database postgres and --parts of card, search" in (
            done.stderr
        )


@pytest.fixture
def reuse_url() -> Iterator[str]:
    """A database of the test's own for the bench, dropped afterwards."""
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    yield f"{server}/dossier_bench_reuse_test"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute('DROP DATABASE IF EXISTS "dossier_bench_reuse_test"')


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="reuse measures an earlier run's PostgreSQL database",
)
def test_a_second_run_measures_the_first_runs_database(
    tmp_path: Path, reuse_url: str
) -> None:
    # given a run that built an archive of 200 guests in a database of its own
    url = reuse_url
    first = _bench("--scale", "200", "--database", "postgres", "--postgres-url", url,
                   "--parts", "card", out=tmp_path / "first")  # fmt: skip
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]

    # when another run reuses it, then one of a larger scale
    again = _bench("--scale", "200", "--database", "postgres", "--postgres-url", url,
                   "--reuse", "--parts", "card,search", out=tmp_path / "again")  # fmt: skip
    larger = _bench("--scale", "5000", "--database", "postgres", "--postgres-url", url,
                    "--reuse", "--parts", "card", out=tmp_path / "larger")  # fmt: skip

    # then the second measures the look-ups on the same archive without building
    # it, and the third is told the archive is smaller than its scale
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    report = json.loads(
        (tmp_path / "again" / "report-postgres.json").read_text(encoding="utf-8")
    )
    names = [f["name"] for f in report["figures"]]
    assert report["reused"] is True
    assert "look-up + card by mobile, p50" in names
    assert "search: pinyin, p99" in names
    assert not [n for n in names if n.startswith(("guest creation", "spend"))]
    assert larger.returncode != 0
    assert "the database has 200 guests, fewer than the 5,000 of this scale" in (
        larger.stderr
    )
