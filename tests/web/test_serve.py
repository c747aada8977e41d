"""``dossier serve`` does before it listens what the first look-ups would all wait for."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# CPU seconds of the first plan of a mobile look-up, in a fresh process.
FIRST_PLAN = """
import os, sys, time
import django
django.setup()
from dossier.search.query import plan_query
from dossier.web.management.commands.serve import warm_up
if sys.argv[1] == "warm":
    warm_up()
started = time.process_time()
plan_query("13912345678")
print(time.process_time() - started)
"""


def _first_plan_seconds(mode: str, tmp_path: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="dossier.settings",
        DOSSIER_DATA_DIR=str(tmp_path),
        DOSSIER_SECRET_KEY="test-secret",
        PYTHONPATH=str(ROOT / "src"),
    )
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PLAN, mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def test_the_first_look_up_after_warm_up_does_not_compile_the_phone_patterns(
    tmp_path: Path,
) -> None:
    # given a process that warmed up and one that did not
    cold = _first_plan_seconds("cold", tmp_path)
    warm = _first_plan_seconds("warm", tmp_path)

    # then the first mobile look-up of the warm one costs a fraction of the CPU
    assert warm < cold / 3, (warm, cold)
