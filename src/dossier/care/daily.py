"""The daily run: every registered job, for today and the days it missed.

Each (property, job, day) is claimed by inserting its ``JobRun`` row; the unique
constraint lets exactly one of two runs (09:00 and 09:01, or two workers) do it. A day
the server was down is run late when it lies within the catch-up window, and is
recorded as missed otherwise, so that the report lists it.
"""

import logging
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from dossier.care.jobs import JOBS, Job, JobContext
from dossier.care.models import DailyRun, JobRun, RunStatus
from dossier.care.reminders import Outcome
from dossier.core.models import Property

logger = logging.getLogger(__name__)

# Missed days are listed one by one up to a year back.
MISSED_LISTED = 366
# A run still "running" after this long died with its process and may be taken over.
STALE_AFTER = timedelta(hours=2)


@dataclass(frozen=True)
class Plan:
    run: list[date]
    missed: list[date]


def job_plan(
    prop: Property, job: Job, today: date, window: int, last_run: date | None
) -> Plan:
    """The days ``job`` still has to run on, and the days it can no longer catch up.

    ``last_run`` is the last day a daily run was made for the property before this
    one: the days after it are the ones the server may have missed.
    """
    rows = JobRun.objects.filter(property=prop, job=job.name)
    first_in_window = today - timedelta(days=window)
    retry = Q(status=RunStatus.FAILED) | Q(
        status=RunStatus.RUNNING, started_at__lt=timezone.now() - STALE_AFTER
    )
    in_window = rows.filter(day__gte=first_in_window, day__lte=today)
    settled = set(in_window.exclude(retry).values_list("day", flat=True))
    to_retry = set(in_window.filter(retry).values_list("day", flat=True))
    last = rows.filter(day__lte=today).aggregate(last=Max("day"))["last"]
    if last_run is not None and (last is None or last_run > last):
        last = last_run
    # The first run of a job starts today: there is nothing before it to catch up.
    start = today if last is None else min(last + timedelta(days=1), today)
    run: list[date] = []
    day = max(start, first_in_window)
    while day <= today:
        if day not in settled and job.schedule(day):
            run.append(day)
        day += timedelta(days=1)
    run = sorted(set(run) | {d for d in to_retry if job.schedule(d)})
    missed: list[date] = []
    day = max(start, first_in_window - timedelta(days=MISSED_LISTED))
    while day < first_in_window:
        if job.schedule(day):
            missed.append(day)
        day += timedelta(days=1)
    return Plan(run=run, missed=missed)


def _claim(prop: Property, job: Job, day: date, daily: DailyRun) -> JobRun | None:
    """This run's ``JobRun`` for the day, or None when another run has it."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                property=prop,
                job=job.name,
                day=day,
                status=RunStatus.RUNNING,
                daily_run=daily,
            )
    except IntegrityError:
        pass
    retry = Q(status=RunStatus.FAILED) | Q(
        status=RunStatus.RUNNING, started_at__lt=timezone.now() - STALE_AFTER
    )
    retried = JobRun.objects.filter(retry, property=prop, job=job.name, day=day).update(
        status=RunStatus.RUNNING, daily_run=daily, started_at=timezone.now()
    )
    if not retried:
        return None
    return JobRun.objects.get(property=prop, job=job.name, day=day)


def _execute(job: Job, row: JobRun, context: JobContext) -> Outcome | None:
    started = time.monotonic()
    try:
        # What a job writes — greetings to guests, titles, reasons — is in the house's
        # language, also when a member of staff working in English pressed "run now".
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            outcome = job.run(context)
    # One job's failure is recorded and must not stop the jobs after it.
    except Exception as error:
        logger.exception(
            "job %s for %s failed",
            job.name,
            context.day,
            extra={"job": job.name, "property_id": context.property.pk},
        )
        row.status, row.error = RunStatus.FAILED, f"{type(error).__name__}: {error}"
        row.finished_at = timezone.now()
        row.save(update_fields=["status", "error", "finished_at"])
        return None
    row.status = RunStatus.SKIPPED if _only_skipped(outcome) else RunStatus.DONE
    row.created, row.sent = outcome.created, outcome.sent
    row.skipped = outcome.skipped
    row.finished_at = timezone.now()
    row.save(update_fields=["status", "created", "sent", "skipped", "finished_at"])
    logger.info(
        "job %s for %s: %s created, %s sent, %s skipped in %.2fs",
        job.name,
        context.day,
        outcome.created,
        outcome.sent,
        outcome.skipped_count,
        time.monotonic() - started,
        extra={"job": job.name, "property_id": context.property.pk},
    )
    return outcome


def _only_skipped(outcome: Outcome) -> bool:
    """A job that did nothing but say why (no holiday data, no recompute yet)."""
    return (
        not outcome.created
        and not outcome.sent
        and len(outcome.skipped) == 1
        and not outcome.skipped[0]["guest_id"]
    )


def _missed_record(prop: Property, job: Job, days: list[date], daily: DailyRun) -> int:
    count = 0
    for day in days:
        try:
            with transaction.atomic():
                JobRun.objects.create(
                    property=prop,
                    job=job.name,
                    day=day,
                    status=RunStatus.MISSED,
                    daily_run=daily,
                    finished_at=timezone.now(),
                    error=gettext_noop("超出补跑期限，未执行"),
                )
        except IntegrityError:
            continue
        count += 1
    return count


def run_daily_property(
    prop: Property,
    *,
    today: date | None = None,
    trigger: str = "cron",
    window: int | None = None,
    jobs: list[str] | None = None,
) -> DailyRun:
    """Run the registered jobs for ``prop``: today in its time zone, and missed days."""
    today = today or prop.today()
    window = settings.DOSSIER_CATCHUP_DAYS if window is None else window
    last_run = DailyRun.objects.filter(property=prop, today__lte=today).aggregate(
        last=Max("today")
    )["last"]
    daily = DailyRun.objects.create(
        property=prop, today=today, trigger=trigger, all_jobs=jobs is None
    )
    logger.info("daily run %s for %s starts", daily.pk, today)
    for job in JOBS.values():
        if jobs is not None and job.name not in jobs:
            continue
        plan = job_plan(prop, job, today, window, last_run)
        daily.missed += _missed_record(prop, job, plan.missed, daily)
        for day in plan.run:
            row = _claim(prop, job, day, daily)
            if row is None:
                continue
            outcome = _execute(job, row, JobContext(prop, day, today))
            if outcome is None:
                daily.failed += 1
                continue
            daily.created += outcome.created
            daily.sent += outcome.sent
            daily.skipped += outcome.skipped_count
    daily.finished_at = timezone.now()
    daily.save()
    logger.info("daily run %s for %s ends", daily.pk, today)
    return daily


def run_daily(
    *,
    today: date | None = None,
    trigger: str = "cron",
    window: int | None = None,
    property_code: str | None = None,
    jobs: list[str] | None = None,
) -> list[DailyRun]:
    """The daily run for every property (or the one with ``property_code``)."""
    properties = Property.objects.order_by("pk")
    if property_code is not None:
        properties = properties.filter(code=property_code)
    return [
        run_daily_property(p, today=today, trigger=trigger, window=window, jobs=jobs)
        for p in properties
    ]
