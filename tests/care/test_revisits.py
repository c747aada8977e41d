"""Revisits of new A clients, feedback after check-out, holiday cards."""

from datetime import date

import pytest

from dossier.care.models import JobRun, Task
from dossier.care.services import consent_record
from dossier.classes.models import ClassChange, GuestClass
from dossier.messaging.models import Message
from tests.care.conftest import only_rule, run_days
from tests.factories import GuestFactory, add_stay

pytestmark = pytest.mark.django_db


def _became(guest, klass: str, on: date, now: str) -> None:
    ClassChange.objects.create(
        guest=guest,
        from_class="B",
        to_class=klass,
        on=on,
        kind="computed",
        reason="季度重算",
    )
    GuestClass.objects.update_or_create(guest=guest, defaults={"klass": now})
    type(guest).objects.filter(pk=guest.pk).update(guest_class=now)


def test_new_a_clients_of_last_month_get_a_revisit_on_the_first(prop):
    # given
    only_rule(prop, "新晋 A 类客人回访", days=10)
    new = GuestFactory(full_name="林晓", gender="F")
    _became(new, "A", date(2026, 11, 5), now="A")
    fell_back = GuestFactory(full_name="周强")
    _became(fell_back, "A", date(2026, 11, 6), now="B")
    earlier = GuestFactory(full_name="吴敏")
    _became(earlier, "A", date(2026, 10, 20), now="A")

    # when
    run_days(date(2026, 11, 30), date(2026, 12, 2), jobs=["care.revisits"])

    # then
    task = Task.objects.get()
    assert (task.guest, task.kind, task.due) == (new, "revisit", date(2026, 12, 11))
    assert task.title == "新晋 A 类客人回访：林女士"
    assert list(
        JobRun.objects.filter(job="care.revisits").values_list("day", "created")
    ) == [(date(2026, 12, 1), 1)]


def test_a_revisit_day_the_server_missed_is_caught_up(prop):
    # given: the last run was on 30 November, the next on 3 December
    only_rule(prop, "新晋 A 类客人回访", days=10)
    new = GuestFactory(full_name="林晓")
    _became(new, "A", date(2026, 11, 5), now="A")
    run_days(date(2026, 11, 30), date(2026, 11, 30), jobs=["care.revisits"])

    # when
    run_days(date(2026, 12, 3), date(2026, 12, 3), jobs=["care.revisits"])

    # then
    assert Task.objects.get().guest == new
    assert JobRun.objects.get(job="care.revisits").day == date(2026, 12, 1)


def test_feedback_is_asked_the_day_after_check_out(
    prop, django_capture_on_commit_callbacks
):
    # given
    only_rule(prop, "离店回访", days=1)
    guest = GuestFactory(full_name="林晓", gender="F", phones=["13812345678"])
    consent_record(
        actor=None,
        guest=guest,
        channel="sms",
        purpose="service",
        granted=True,
        source="入住登记卡",
    )
    add_stay(guest, arrival=date(2026, 11, 29), departure=date(2026, 12, 1))
    in_house = GuestFactory(full_name="周强")
    add_stay(
        in_house,
        arrival=date(2026, 11, 29),
        departure=date(2026, 12, 1),
        status="in_house",
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        run_days(date(2026, 12, 1), date(2026, 12, 3))

    # then
    task = Task.objects.get()
    assert (task.guest, task.due, task.occurs_on) == (
        guest,
        date(2026, 12, 2),
        date(2026, 12, 1),
    )
    message = Message.objects.get()
    assert message.body == "林女士您好，感谢您入住本店，欢迎回复您的意见与建议。"
    assert message.purpose == "service"


def test_holiday_cards_are_due_before_the_first_day_off(prop):
    # given: 国庆节 2026 starts on Thursday 1 October
    only_rule(prop, "节日贺卡", days=7)
    vip = GuestFactory(full_name="林晓", gender="F", guest_class="A")
    GuestFactory(full_name="周强", guest_class="B")

    # when
    run_days(date(2026, 9, 23), date(2026, 9, 26), jobs=["care.holidays"])

    # then
    task = Task.objects.get()
    assert (task.guest, task.occurs_on, task.due) == (
        vip,
        date(2026, 10, 1),
        date(2026, 9, 30),
    )
    assert task.title == "国庆节贺卡（10月1日）：林女士"
    assert list(
        JobRun.objects.filter(job="care.holidays", created=1).values_list(
            "day", flat=True
        )
    ) == [date(2026, 9, 24)]


def test_a_holiday_greeting_goes_on_the_first_day_off_not_with_the_task(prop):
    # given
    only_rule(
        prop,
        "节日贺卡",
        days=7,
        channel="sms",
        template="{称呼}，{门店}恭祝您{节日}快乐！",
    )
    vip = GuestFactory(
        full_name="林晓", gender="F", guest_class="A", phones=["13812345678"]
    )
    consent_record(
        actor=None,
        guest=vip,
        channel="sms",
        purpose="marketing",
        granted=True,
        source="会员入会表",
    )

    # when
    run_days(date(2026, 9, 24), date(2026, 10, 2), jobs=["care.holidays"])

    # then: 中秋节 (25 September) is greeted on its day too; its task came on the 18th
    assert Task.objects.get().due == date(2026, 9, 30)
    assert list(Message.objects.order_by("pk").values_list("body", flat=True)) == [
        "林女士，本店恭祝您中秋节快乐！",
        "林女士，本店恭祝您国庆节快乐！",
    ]
    sent_on = JobRun.objects.filter(job="care.holidays", sent=1).values_list(
        "day", flat=True
    )
    assert list(sent_on) == [date(2026, 9, 25), date(2026, 10, 1)]
