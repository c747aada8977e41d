"""The daily run in other processes: a Celery worker on Redis, two cron runs at once.

The worker has its own database (a SQLite file, or a PostgreSQL database of its own
when the suite runs on PostgreSQL), migrated and filled by subprocesses, so that what
it does is seen only through what it returns and what the database then holds.
"""

import os
import socket
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery import Celery  # type: ignore[import-untyped]

from dossier.celery import app as dossier_app

BROKER = "redis://127.0.0.1:6379/14"
ROOT = Path(__file__).resolve().parents[2]

SEED = textwrap.dedent(
    """
    import django
    django.setup()
    from datetime import date
    from dossier.care.models import ReminderRule
    from dossier.care.rules import rules_ensure
    from dossier.core.properties import property_default
    from tests.factories import GuestFactory

    prop = property_default()
    rules_ensure(prop)
    ReminderRule.objects.exclude(name="生日祝福").update(active=False)
    ReminderRule.objects.filter(name="生日祝福").update(days=0, channel="task")
    GuestFactory(full_name="林晓", birth_date=date(1990, 3, 10))
    """
)
SEED_SMS = SEED.replace(
    'update(days=0, channel="task")', 'update(days=0, channel="sms")'
).replace(
    'GuestFactory(full_name="林晓", birth_date=date(1990, 3, 10))',
    textwrap.dedent(
        """
    from dossier.care.services import consent_record
    for i in range(5):
        guest = GuestFactory(
            full_name="林晓", birth_date=date(1990, 3, 10), phones=[f"1381234567{i}"]
        )
        consent_record(
            actor=None, guest=guest, channel="sms", purpose="service",
            granted=True, source="登记卡",
        )
    """
    ),
)
COUNT = textwrap.dedent(
    """
    import django
    django.setup()
    from dossier.care.models import Task
    print(Task.objects.filter(kind="special_date").count())
    """
)


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


# Skipped on a developer's machine without Redis; CI (CI=true) must run it.
needs_redis = pytest.mark.skipif(
    not _redis_up() and not os.environ.get("CI"), reason="Redis is not on loopback"
)


def _worker_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield {}
        return
    import psycopg

    name = f"dossier_care_jobs_celery_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def worker_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    for database in _worker_database(tmp_path):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DOSSIER_", "DATABASE_URL", "DJANGO_"))
        }
        env.update(
            {
                "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
                "DJANGO_SETTINGS_MODULE": "dossier.settings",
                "DOSSIER_DATA_DIR": str(tmp_path / "data"),
                "DOSSIER_SECRET_KEY": "worker-test-secret",
                "DOSSIER_FIELD_KEY": "worker-test-field-key",
                "DOSSIER_CELERY_BROKER": BROKER,
                **database,
            }
        )
        yield env


def _python(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@needs_redis
def test_a_worker_runs_the_daily_job_once_however_often_it_is_sent(worker_env):
    # given: a migrated database with one birthday, and a worker on its own queue
    queue = f"care-jobs-{uuid.uuid4().hex[:8]}"
    _python(worker_env, "-m", "django", "migrate", "--noinput", "-v", "0")
    _python(worker_env, "-c", SEED)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dossier.celery",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@127.0.0.1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        env=worker_env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    client = Celery("care-jobs-test", broker=BROKER, backend=BROKER)
    try:
        # when
        first = client.send_task(
            "dossier.care.run_daily", kwargs={"today": "2027-03-10"}, queue=queue
        ).get(timeout=120)
        second = client.send_task(
            "dossier.care.run_daily", kwargs={"today": "2027-03-10"}, queue=queue
        ).get(timeout=120)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]

    # then
    assert [(r["today"], r["created"], r["failed"]) for r in first] == [
        ("2027-03-10", 1, 0)
    ], output[-2000:]
    assert [(r["created"], r["sent"], r["failed"]) for r in second] == [(0, 0, 0)]
    assert _python(worker_env, "-c", COUNT).strip() == "1"


def test_beat_starts_the_daily_run_every_day_at_the_configured_hour():
    entry = dossier_app.conf.beat_schedule["daily-run"]
    assert entry["task"] == "dossier.care.run_daily"
    assert entry["schedule"].hour == {9}
    assert entry["schedule"].minute == {0}
    dossier_app.loader.import_default_modules()
    assert "dossier.care.run_daily" in dossier_app.tasks


def test_beat_fetches_replies_and_reports_every_five_minutes():
    entry = dossier_app.conf.beat_schedule["sms-poll"]
    assert entry["task"] == "dossier.messaging.sms_poll"
    assert entry["schedule"].minute == set(range(0, 60, 5))
    dossier_app.loader.import_default_modules()
    assert "dossier.messaging.sms_poll" in dossier_app.tasks


def test_two_cron_processes_at_once_create_and_send_once(worker_env, tmp_path):
    # given: five birthdays of guests who agreed to SMS
    _python(worker_env, "-m", "django", "migrate", "--noinput", "-v", "0")
    _python(worker_env, "-c", SEED_SMS)
    command = [sys.executable, "-m", "django", "run-daily", "--date", "2027-03-10"]

    # when: cron fires on two machines at the same moment
    runs = [
        subprocess.Popen(
            command,
            env=worker_env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]

    # then: both succeed, one of them did the day, five SMS left once each
    assert [run.returncode for run in runs] == [0, 0], outputs
    firsts = sorted(out.splitlines()[0].split(": ", 1)[1] for out, _ in outputs)
    assert firsts == [
        "新建任务 0，发送 0，跳过 0，错过 0，失败 0",
        "新建任务 5，发送 5，跳过 0，错过 0，失败 0",
    ]
    assert _python(worker_env, "-c", COUNT).strip() == "5"
    outbox = Path(worker_env["DOSSIER_DATA_DIR"]) / "outbox" / "sms.jsonl"
    assert len(outbox.read_text(encoding="utf-8").splitlines()) == 5
