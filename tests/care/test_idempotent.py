"""The daily run is safe to repeat: twice in a minute, on two workers, after a crash."""

import threading
from datetime import date

import pytest
from django.db import connection

from dossier.care import jobs as jobs_module
from dossier.care.daily import run_daily
from dossier.care.jobs import JOBS, Job, daily
from dossier.care.models import DailyRun, JobRun, ReminderOccurrence, RunStatus, Task
from dossier.care.reminders import Outcome
from dossier.care.services import consent_record
from dossier.messaging.models import Message
from tests.care.conftest import only_rule, run_days
from tests.factories import GuestFactory

BIRTHDAY = date(2027, 3, 10)


def _guest_who_agreed(name: str = "林晓", phone: str = "13812345678"):
    guest = GuestFactory(
        full_name=name, gender="F", birth_date=date(1990, 3, 10), phones=[phone]
    )
    consent_record(
        actor=None,
        guest=guest,
        channel="sms",
        purpose="service",
        granted=True,
        source="入住登记卡",
    )
    return guest


@pytest.mark.django_db
def test_running_twice_a_minute_apart_sends_and_creates_once(
    prop, django_capture_on_commit_callbacks
):
    # given
    only_rule(prop, "生日祝福", days=0)
    guest = _guest_who_agreed()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        first = run_daily(today=BIRTHDAY)[0]
    with django_capture_on_commit_callbacks(execute=True):
        second = run_daily(today=BIRTHDAY)[0]

    # then
    assert (first.created, first.sent) == (1, 1)
    assert (second.created, second.sent, second.skipped) == (0, 0, 0)
    assert Task.objects.filter(guest=guest).count() == 1
    message = Message.objects.get(guest=guest)
    assert message.status == "sent"
    assert message.body == (
        "尊敬的林女士，本店全体员工祝您生日快乐！"
        "生日当月凭本短信到前台领取生日蛋糕一份。"
    )
    assert message.idempotency_key.endswith(f":{guest.pk}:2027-03-10")


@pytest.mark.django_db
def test_a_rerun_of_a_day_already_done_finds_every_reminder_made(prop):
    # given: the day ran, then its job-run rows were lost
    only_rule(prop, "生日祝福", days=0)
    guest = _guest_who_agreed()
    run_daily(today=BIRTHDAY)
    JobRun.objects.all().delete()

    # when
    again = run_daily(today=BIRTHDAY)[0]

    # then
    assert (again.created, again.sent) == (0, 0)
    assert [
        s["reason"] for s in JobRun.objects.get(job="care.special_dates").skipped
    ] == [
        "已提醒过",
        "问候已发送",
    ]
    assert Task.objects.filter(guest=guest).count() == 1
    assert Message.objects.filter(guest=guest).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_and_create_once(prop):
    # given
    only_rule(prop, "生日祝福", days=0)
    guests = [_guest_who_agreed(f"林晓{i}", f"1381234567{i}") for i in range(4)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            run_daily(today=BIRTHDAY, trigger="worker")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then
    assert errors == []
    assert Task.objects.count() == 4
    assert ReminderOccurrence.objects.count() == 4
    assert Message.objects.count() == 4
    assert {m.guest_id for m in Message.objects.all()} == {g.pk for g in guests}
    runs = DailyRun.objects.filter(trigger="worker")
    assert sorted(r.created for r in runs) == [0, 4]
    assert sorted(r.sent for r in runs) == [0, 4]
    assert JobRun.objects.filter(job="care.special_dates").count() == 1


@pytest.mark.django_db
def test_days_the_server_was_down_are_caught_up_or_listed_as_missed(prop):
    # given: a run on 1 March, then the server is down until 8 March
    only_rule(prop, "生日祝福", days=0)
    late = _guest_who_agreed("林晓", "13812345671")
    late.birth_date = date(1990, 3, 6)
    late.save()
    lost = _guest_who_agreed("周强", "13812345672")
    lost.birth_date = date(1990, 3, 3)
    lost.save()
    today = _guest_who_agreed("吴敏", "13812345673")
    today.birth_date = date(1990, 3, 8)
    today.save()
    run_daily(today=date(2027, 3, 1), window=3)

    # when
    report = run_daily(today=date(2027, 3, 8), window=3)[0]

    # then
    days = dict(
        JobRun.objects.filter(job="care.special_dates").values_list("day", "status")
    )
    assert days == {
        date(2027, 3, 1): RunStatus.DONE,
        date(2027, 3, 2): RunStatus.MISSED,
        date(2027, 3, 3): RunStatus.MISSED,
        date(2027, 3, 4): RunStatus.MISSED,
        date(2027, 3, 5): RunStatus.DONE,
        date(2027, 3, 6): RunStatus.DONE,
        date(2027, 3, 7): RunStatus.DONE,
        date(2027, 3, 8): RunStatus.DONE,
    }
    daily_jobs = [job for job in JOBS.values() if job.schedule is daily]
    assert report.missed == 3 * len(daily_jobs)  # three days of every daily job
    assert not Task.objects.filter(guest=lost).exists()
    assert Task.objects.get(guest=late).occurs_on == date(2027, 3, 6)
    assert not Message.objects.filter(guest=late).exists()
    caught_up = JobRun.objects.get(job="care.special_dates", day=date(2027, 3, 6))
    assert caught_up.skipped[0]["reason"] == "补跑：日子已过，不再发送问候"
    assert Message.objects.filter(guest=today).count() == 1


@pytest.mark.django_db
def test_a_failing_job_is_reported_and_retried_while_the_others_run(prop, monkeypatch):
    # given
    only_rule(prop, "生日祝福", days=0, channel="task")
    guest = _guest_who_agreed()
    calls: list[date] = []

    def broken(context) -> Outcome:
        calls.append(context.day)
        if len(calls) == 1:
            raise RuntimeError("网关超时")
        return Outcome()

    registry = {"test.broken": Job("test.broken", "测试", lambda d: True, broken)}
    registry.update(jobs_module.JOBS)
    monkeypatch.setattr(jobs_module, "JOBS", registry)
    monkeypatch.setattr("dossier.care.daily.JOBS", registry)

    # when
    first = run_daily(today=BIRTHDAY)[0]
    second = run_daily(today=BIRTHDAY)[0]

    # then
    assert first.failed == 1
    assert JobRun.objects.get(job="test.broken").status == RunStatus.DONE
    assert calls == [BIRTHDAY, BIRTHDAY]
    assert second.failed == 0
    assert Task.objects.filter(guest=guest).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ([], "客人未同意接收此渠道的消息"),
        ([("service", True), ("marketing", False)], "客人已退订"),
        ([("marketing", True), ("service", False)], "客人已退订"),
    ],
)
def test_a_greeting_needs_a_yes_and_no_opt_out(prop, answers, reason):
    # given
    only_rule(prop, "生日祝福", days=0)
    guest = GuestFactory(
        full_name="林晓", birth_date=date(1990, 3, 10), phones=["13812345678"]
    )
    for purpose, granted in answers:
        consent_record(
            actor=None,
            guest=guest,
            channel="sms",
            purpose=purpose,
            granted=granted,
            source="测试",
        )

    # when
    report = run_daily(today=BIRTHDAY)[0]

    # then
    assert (report.created, report.sent) == (1, 0)
    assert not Message.objects.exists()
    skipped = JobRun.objects.get(job="care.special_dates").skipped
    assert [(s["guest"], s["reason"]) for s in skipped] == [("林晓", reason)]


@pytest.mark.django_db
def test_classes_a_rule_does_not_cover_get_nothing(prop):
    # given
    only_rule(prop, "生日祝福", days=0, channel="task", classes="A")
    GuestFactory(full_name="林晓", birth_date=date(1990, 3, 10), guest_class="C")
    vip = GuestFactory(full_name="周强", birth_date=date(1990, 3, 10), guest_class="A")

    # when
    run_days(BIRTHDAY, BIRTHDAY)

    # then
    assert list(Task.objects.values_list("guest_id", flat=True)) == [vip.pk]
