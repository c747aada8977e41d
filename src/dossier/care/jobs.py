"""The registry of daily jobs: a name, the days it runs on, and what it does.

Any app may add a job with ``job_register``; ``dossier run-daily`` (cron) and the
Celery beat task both run every registered job whose schedule says yes for the day.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_noop

from dossier.care.models import ReminderKind, ReminderRule
from dossier.care.reminders import Outcome, rule_run
from dossier.care.rules import rules_ensure
from dossier.core.models import Property


@dataclass(frozen=True)
class JobContext:
    property: Property
    day: date
    today: date

    def catching_up(self) -> bool:
        return self.day < self.today


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    schedule: Callable[[date], bool]
    run: Callable[[JobContext], Outcome]


JOBS: dict[str, Job] = {}


def job_register(job: Job) -> Job:
    """Add ``job`` to the daily run; a second job of the same name is refused."""
    if job.name in JOBS and JOBS[job.name] != job:
        raise ValueError(f"job {job.name!r} is already registered")
    JOBS[job.name] = job
    return job


def daily(day: date) -> bool:
    return True


def monthly(day: date) -> bool:
    return day.day == 1


def quarterly(day: date) -> bool:
    return day.day == 1 and day.month in (1, 4, 7, 10)


def yearly(day: date) -> bool:
    return day.day == 1 and day.month == 1


def _rules_runner(*kinds: str) -> Callable[[JobContext], Outcome]:
    def run(context: JobContext) -> Outcome:
        outcome = Outcome()
        rules_ensure(context.property)
        rules = ReminderRule.objects.filter(
            property=context.property, active=True, kind__in=kinds
        ).select_related("owner", "property")
        for rule in rules.order_by("pk"):
            outcome.add(rule_run(rule, day=context.day, today=context.today))
        return outcome

    return run


def _campaigns(context: JobContext) -> Outcome:
    from dossier.care.campaigns import campaigns_due_send

    return campaigns_due_send(prop=context.property, day=context.day)


def _classes_recompute(context: JobContext) -> Outcome:
    """The quarterly A/B/C recomputation: on the first run of each quarter, also when
    the quarter's first day was missed."""
    from dossier.classes.services import classes_recompute_due

    outcome = Outcome()
    report = classes_recompute_due(property=context.property, on=context.day)
    if report is None:
        outcome.skip(gettext_noop("本季度已重算分级"))
    # Class changes are not tasks: the class page lists them with their reasons.
    return outcome


job_register(
    Job(
        "care.special_dates",
        "生日与纪念日",
        daily,
        _rules_runner(ReminderKind.SPECIAL_DATE),
    )
)
job_register(
    Job("care.feedback", "离店回访", daily, _rules_runner(ReminderKind.FEEDBACK))
)
job_register(
    Job("care.holidays", "节日贺卡", daily, _rules_runner(ReminderKind.HOLIDAY))
)
job_register(
    Job(
        "care.revisits",
        "新晋 A 类客人回访",
        monthly,
        _rules_runner(ReminderKind.REVISIT),
    )
)
job_register(Job("care.campaigns", "定时营销活动", daily, _campaigns))
job_register(Job("classes.recompute", "季度分级重算", daily, _classes_recompute))


def _loans_remind(context: JobContext) -> Outcome:
    from dossier.records.loans import loans_overdue_remind

    outcome = Outcome()
    outcome.created = loans_overdue_remind(on=context.day, prop=context.property)
    return outcome


def _receipts_chase(context: JobContext) -> Outcome:
    from dossier.personnel.services import personnel_receipts_chase

    outcome = Outcome()
    outcome.created = personnel_receipts_chase(on=context.day, prop=context.property)
    return outcome


def _loan_requests_expire(context: JobContext) -> Outcome:
    from dossier.records.loans import loan_requests_expire

    outcome = Outcome()
    outcome.created = loan_requests_expire(on=context.day, prop=context.property)
    return outcome


job_register(Job("records.loans_overdue", "逾期借阅提醒", daily, _loans_remind))
job_register(
    Job(
        "records.loan_requests_expire",
        "借出申请逾期撤回",
        daily,
        _loan_requests_expire,
    )
)
job_register(Job("personnel.receipts", "人事档案回执催收", daily, _receipts_chase))


def _disposal_yearly(context: JobContext) -> Outcome:
    from dossier.records.disposal import disposal_propose_yearly

    outcome = Outcome()
    register = disposal_propose_yearly(prop=context.property, on=context.day)
    if register is None:
        outcome.skip(gettext_noop("没有保管期满、尚未列入清册的案件"))
    else:
        outcome.created = 1
    return outcome


job_register(Job("records.disposal", "年度销毁清册", yearly, _disposal_yearly))
