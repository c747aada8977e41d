"""The registry of daily jobs, jobs of other apps, and run reports."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dossier.care import jobs as jobs_module
from dossier.care.daily import run_daily
from dossier.care.jobs import JOBS, Job, job_register, quarterly
from dossier.care.models import JobRun, RunStatus
from dossier.care.reminders import Outcome
from dossier.care.selectors import daily_runs

pytestmark = pytest.mark.django_db


def test_classes_are_recomputed_once_a_quarter_even_when_its_first_day_is_missed(
    prop,
):
    from dossier.classes.models import ClassPolicy

    # given: the server was down on 1 April
    run_daily(today=date(2027, 4, 3), jobs=["classes.recompute"])
    run_daily(today=date(2027, 4, 3), jobs=["classes.recompute"])
    run_daily(today=date(2027, 4, 4), jobs=["classes.recompute"])

    # then: recomputed on the first run of the quarter, then left alone
    assert ClassPolicy.objects.get(property=prop).recomputed_on == date(2027, 4, 3)
    statuses = dict(
        JobRun.objects.filter(job="classes.recompute").values_list("day", "status")
    )
    assert statuses[date(2027, 4, 4)] == RunStatus.SKIPPED
    assert [quarterly(date(2027, m, 1)) for m in (1, 2, 4, 7, 10, 12)] == [
        True,
        False,
        True,
        True,
        True,
        False,
    ]


def test_another_app_adds_a_job_and_a_name_is_registered_once(prop, monkeypatch):
    # given
    monkeypatch.setattr(jobs_module, "JOBS", dict(JOBS))
    monkeypatch.setattr("dossier.care.daily.JOBS", jobs_module.JOBS)
    seen: list[date] = []

    def count(context) -> Outcome:
        seen.append(context.day)
        outcome = Outcome()
        outcome.created = 2
        return outcome

    job = job_register(
        Job("analyses.key_guests", "重点客人名单", lambda d: True, count)
    )

    # when
    with pytest.raises(ValueError, match="already registered"):
        job_register(Job("analyses.key_guests", "另一个", lambda d: True, count))
    report = run_daily(today=date(2027, 5, 6), jobs=[job.name])[0]

    # then
    assert seen == [date(2027, 5, 6)]
    assert report.created == 2


def test_a_run_left_running_by_a_dead_process_is_taken_over(prop):
    # given: yesterday's run died halfway three hours ago
    today = date(2027, 5, 6)
    run_daily(today=today - timedelta(days=1), jobs=["care.feedback"])
    JobRun.objects.filter(job="care.feedback").update(
        status=RunStatus.RUNNING, started_at=timezone.now() - timedelta(hours=3)
    )

    # when
    run_daily(today=today, jobs=["care.feedback"])

    # then
    assert dict(
        JobRun.objects.filter(job="care.feedback").values_list("day", "status")
    ) == {today - timedelta(days=1): RunStatus.DONE, today: RunStatus.DONE}


def test_the_report_merges_consecutive_missed_days(prop):
    # given
    run_daily(today=date(2027, 5, 1), jobs=["care.feedback"])
    run_daily(today=date(2027, 5, 1))

    # when
    run_daily(today=date(2027, 5, 20), window=2)
    lines = daily_runs(prop, limit=1)[0].lines

    # then
    feedback = [
        (line.first, line.last, line.status)
        for line in lines
        if line.job == "care.feedback"
    ]
    assert feedback == [
        (date(2027, 5, 2), date(2027, 5, 17), RunStatus.MISSED),
        (date(2027, 5, 18), date(2027, 5, 18), RunStatus.DONE),
        (date(2027, 5, 19), date(2027, 5, 19), RunStatus.DONE),
        (date(2027, 5, 20), date(2027, 5, 20), RunStatus.DONE),
    ]


def test_the_archive_chases_run_every_day():
    from dossier.care.jobs import JOBS

    for name in (
        "records.loans_overdue",
        "records.loan_requests_expire",
        "personnel.receipts",
    ):
        assert JOBS[name].schedule(date(2027, 5, 6))
