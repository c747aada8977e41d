"""The daily run through its calendar cases: 29 February, lunar leap months, day 30."""

from datetime import date

import pytest

from dossier.care.models import JobRun, RunStatus, Task
from dossier.guests.services import special_date_add
from tests.care.conftest import only_rule, rule_set, run_days
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def born(prop):
    only_rule(prop, "生日祝福", days=0, channel="task")
    return {
        "leap": GuestFactory(full_name="林晓", birth_date=date(1996, 2, 29)),
        "28th": GuestFactory(full_name="周强", birth_date=date(1990, 2, 28)),
        "1st": GuestFactory(full_name="吴敏", birth_date=date(1985, 3, 1)),
    }


def _birthday_tasks(guest):
    return list(
        Task.objects.filter(guest=guest, kind="special_date").values_list(
            "occurs_on", "due"
        )
    )


def test_birthdays_around_29_february_in_a_common_year(born):
    # when
    runs = run_days(date(2027, 2, 26), date(2027, 3, 2))

    # then
    assert _birthday_tasks(born["leap"]) == [(date(2027, 2, 28), date(2027, 2, 28))]
    assert _birthday_tasks(born["28th"]) == [(date(2027, 2, 28), date(2027, 2, 28))]
    assert _birthday_tasks(born["1st"]) == [(date(2027, 3, 1), date(2027, 3, 1))]
    created = dict(
        JobRun.objects.filter(job="care.special_dates").values_list("day", "created")
    )
    assert created == {
        date(2027, 2, 26): 0,
        date(2027, 2, 27): 0,
        date(2027, 2, 28): 2,
        date(2027, 3, 1): 1,
        date(2027, 3, 2): 0,
    }
    assert [r.failed for r in runs] == [0, 0, 0, 0, 0]
    assert not JobRun.objects.filter(status=RunStatus.FAILED).exists()


def test_birthdays_around_29_february_in_a_leap_year(born):
    # when
    runs = run_days(date(2028, 2, 26), date(2028, 3, 2))

    # then
    assert _birthday_tasks(born["leap"]) == [(date(2028, 2, 29), date(2028, 2, 29))]
    assert _birthday_tasks(born["28th"]) == [(date(2028, 2, 28), date(2028, 2, 28))]
    assert _birthday_tasks(born["1st"]) == [(date(2028, 3, 1), date(2028, 3, 1))]
    assert sum(r.failed for r in runs) == 0


def test_a_year_without_holiday_data_is_skipped_with_a_reason(born):
    # given
    rule_set(born["leap"].property, "节日贺卡", days=7, classes="ABC", active=True)

    # when
    runs = run_days(date(2027, 2, 26), date(2027, 2, 27))

    # then
    holiday = JobRun.objects.get(job="care.holidays", day=date(2027, 2, 26))
    assert holiday.status == RunStatus.SKIPPED
    assert holiday.skipped[0]["reason"] == "没有 2027 年的放假安排，无法判断节日"
    assert [r.failed for r in runs] == [0, 0]


def test_a_lunar_birthday_in_a_leap_month_falls_in_the_ordinary_month(prop):
    # given: born on 闰四月初八 2020; 2026 has no leap fourth month
    only_rule(prop, "生日祝福", days=0, channel="task")
    guest = GuestFactory(full_name="郑丽")
    special_date_add(
        actor=None,
        guest=guest,
        kind="birthday",
        calendar="lunar",
        year=2020,
        month=4,
        day=8,
        is_leap_month=True,
    )

    # when
    run_days(date(2026, 5, 22), date(2026, 5, 26))

    # then
    assert _birthday_tasks(guest) == [(date(2026, 5, 24), date(2026, 5, 24))]


def test_the_30th_of_a_29_day_twelfth_month_is_kept_on_the_29th(prop):
    # given: 腊月 of lunar 2025 has 29 days; 腊月二十九 is 16 February 2026
    only_rule(prop, "生日祝福", days=0, channel="task")
    guest = GuestFactory(full_name="孙浩")
    special_date_add(
        actor=None, guest=guest, kind="birthday", calendar="lunar", month=12, day=30
    )

    # when
    run_days(date(2026, 2, 14), date(2026, 2, 18))

    # then
    assert _birthday_tasks(guest) == [(date(2026, 2, 16), date(2026, 2, 16))]


def test_a_task_is_created_days_ahead_and_due_on_the_day(prop):
    # given
    only_rule(prop, "生日祝福", days=3, channel="task")
    guest = GuestFactory(full_name="林晓", gender="F", birth_date=date(1996, 2, 29))

    # when
    run_days(date(2027, 2, 24), date(2027, 2, 26))

    # then
    assert _birthday_tasks(guest) == [(date(2027, 2, 28), date(2027, 2, 28))]
    task = Task.objects.get(guest=guest)
    assert task.title == "生日（2月28日）：林女士"
    assert task.department == "marketing"
    assert (
        JobRun.objects.get(job="care.special_dates", day=date(2027, 2, 25)).created == 1
    )
