"""Reading care: my tasks, rules, run reports."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from dossier.care.models import DailyRun, ReminderRule, Task, TaskStatus
from dossier.core.models import Property
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
    overdue: list[Task]
    upcoming: list[Task]
    closed: list[Task]


def my_tasks(user: User, *, today: date, kind: str = "", limit: int = 200) -> TaskList:
    """Open tasks, overdue first, then by due date; the last ones closed."""
    tasks = my_tasks_queryset(user).select_related("guest", "owner")
    if kind:
        tasks = tasks.filter(kind=kind)
    open_tasks = list(
        tasks.filter(status=TaskStatus.OPEN).order_by("due", "id")[:limit]
    )
    closed = list(
        tasks.exclude(status=TaskStatus.OPEN).order_by("-closed_at", "-id")[:20]
    )
    return TaskList(
        overdue=[t for t in open_tasks if t.due < today],
        upcoming=[t for t in open_tasks if t.due >= today],
        closed=closed,
    )


def rules_of(prop: Property) -> list[ReminderRule]:
    return list(
        ReminderRule.objects.filter(property=prop)
        .select_related("owner")
        .order_by("kind", "id")
    )


def daily_runs(prop: Property, *, limit: int = 30) -> list[DailyRun]:
    """The latest daily runs with the job runs each did, newest first."""
    return list(
        DailyRun.objects.filter(property=prop)
        .prefetch_related("job_runs")
        .order_by("-started_at", "-id")[:limit]
    )
