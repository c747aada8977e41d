"""Reading care: my tasks, rules, run reports."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext, gettext_noop

from dossier.care.models import (
    Consent,
    ConsentChannel,
    ConsentPurpose,
    DailyRun,
    ReminderRule,
    RunStatus,
    Task,
    TaskStatus,
)
from dossier.core.models import Property
from dossier.core.people import staff_name
from dossier.guests.models import Guest
from dossier.web.selectors import viewer_property


def staff_property(user: User) -> Property:
    """The property the user works at; the default one for staff without a profile."""
    return viewer_property(user)


def my_tasks_queryset(user: User) -> QuerySet[Task]:
    """Tasks the user owns, and unowned ones of the user's department, at their
    property."""
    staff = getattr(user, "staff", None)
    mine = Q(owner=user)
    if staff is not None and staff.department:
        mine |= Q(owner__isnull=True, department=staff.department)
    return Task.objects.filter(mine, guest__property=staff_property(user))


@dataclass(frozen=True)
class TaskList:
    """Open tasks (overdue first, then by due date) with true counts, and the last
    ones closed."""

    open: QuerySet[Task]
    overdue_count: int
    upcoming_count: int
    closed: list[Task]


RECENTLY_CLOSED = 20


def my_tasks(
    user: User, *, today: date, kind: str = "", everyone: bool = False
) -> TaskList:
    """The user's tasks, or with ``everyone`` those of the whole property, to those
    who manage care; the open ones as a query to page or export whole."""
    if everyone and user.has_perm("messaging.add_message"):
        tasks = Task.objects.filter(guest__property=staff_property(user))
    else:
        tasks = my_tasks_queryset(user)
    tasks = tasks.select_related("guest", "owner")
    if kind:
        tasks = tasks.filter(kind=kind)
    open_tasks = tasks.filter(status=TaskStatus.OPEN)
    counts = open_tasks.aggregate(
        overdue=Count("pk", filter=Q(due__lt=today)),
        upcoming=Count("pk", filter=Q(due__gte=today)),
    )
    closed = tasks.exclude(status=TaskStatus.OPEN).order_by("-closed_at", "-id")
    return TaskList(
        open=open_tasks.order_by("due", "id"),
        overdue_count=counts["overdue"],
        upcoming_count=counts["upcoming"],
        closed=list(closed[:RECENTLY_CLOSED]),
    )


def rules_of(prop: Property) -> list[ReminderRule]:
    return list(
        ReminderRule.objects.filter(property=prop)
        .select_related("owner")
        .order_by("kind", "id")
    )


def runs_of(prop: Property) -> QuerySet[DailyRun]:
    """Every daily run of ``prop`` with the job runs each did, newest first."""
    return (
        DailyRun.objects.filter(property=prop)
        .prefetch_related("job_runs")
        .order_by("-started_at", "-id")
    )


def runs_with_lines(runs: Iterable[DailyRun]) -> list[DailyRun]:
    """``runs`` each with its report ``lines``."""
    found = list(runs)
    for run in found:
        run.lines = report_lines(run)  # type: ignore[attr-defined]
    return found


def daily_runs(prop: Property, *, limit: int = 30, offset: int = 0) -> list[DailyRun]:
    """The latest daily runs with the job runs each did, newest first, from ``offset``."""
    return runs_with_lines(runs_of(prop)[offset : offset + limit])


@dataclass(frozen=True)
class ReportLine:
    """One job run, or a stretch of consecutive missed days of one job."""

    job: str
    first: date
    last: date
    status: str
    status_label: str
    created: int
    sent: int
    skipped: list[dict[str, str]]
    error: str

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def report_lines(run: DailyRun) -> list[ReportLine]:
    """The job runs of ``run`` by job and day, missed days merged into stretches."""
    lines: list[ReportLine] = []
    for row in sorted(run.job_runs.all(), key=lambda r: (r.job, r.day)):
        previous = lines[-1] if lines else None
        if (
            previous is not None
            and row.status == RunStatus.MISSED
            and previous.status == RunStatus.MISSED
            and previous.job == row.job
            and (row.day - previous.last).days == 1
        ):
            lines[-1] = replace(previous, last=row.day)
            continue
        lines.append(
            ReportLine(
                job=row.job,
                first=row.day,
                last=row.day,
                status=row.status,
                status_label=row.get_status_display(),
                created=row.created,
                sent=row.sent,
                skipped=row.skipped,
                error=row.error,
            )
        )
    return lines


@dataclass(frozen=True)
class ConsentRow:
    """A guest's latest answer for one channel and purpose; ``granted`` None: never asked."""

    channel: str
    channel_label: str
    purpose: str
    purpose_label: str
    granted: bool | None
    at: datetime | None
    source: str
    recorded_by: str = ""


# Sources the product writes itself, worded in the reader's language when shown; a
# source staff typed is shown as typed.
_SOURCES = (
    (re.compile(r"短信网关：(?P<code>.+)", re.S), gettext_noop("短信网关：%(code)s")),
    (re.compile(r"短信回复“(?P<text>.*)”", re.S), gettext_noop("短信回复“%(text)s”")),
    (
        re.compile(
            r"合并 #(?P<duplicate>\d+) 入 #(?P<master>\d+)：任一档案退订即保留退订"
        ),
        gettext_noop("合并 #%(duplicate)s 入 #%(master)s：任一档案退订即保留退订"),
    ),
)


def consent_source_shown(source: str) -> str:
    """Where an answer came from, in the active language: 短信回复“TD” is
    SMS reply “TD” in English."""
    for pattern, wording in _SOURCES:
        found = pattern.fullmatch(source)
        if found is not None:
            return gettext(wording) % found.groupdict()
    return source


def consent_rows(guest: Guest) -> list[ConsentRow]:
    """Every channel and purpose with the guest's latest answer, in one query."""
    latest: dict[tuple[str, str], Consent] = {}
    records = Consent.objects.filter(guest=guest).select_related("recorded_by")
    for record in records.order_by("at", "id"):
        latest[(record.channel, record.purpose)] = record
    rows = []
    for channel, channel_label in ConsentChannel.choices:
        for purpose, purpose_label in ConsentPurpose.choices:
            found = latest.get((channel, purpose))
            rows.append(
                ConsentRow(
                    channel=channel, channel_label=str(channel_label),
                    purpose=purpose, purpose_label=str(purpose_label),
                    granted=found.granted if found else None,
                    at=found.at if found else None,
                    source=consent_source_shown(found.source) if found else "",
                    recorded_by=staff_name(found.recorded_by if found else None),
                )
            )  # fmt: skip
    return rows
