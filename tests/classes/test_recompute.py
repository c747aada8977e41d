"""Recomputing A/B/C classes from a year's spend, with the house's rules."""

from datetime import timedelta
from decimal import Decimal

import pytest

from dossier.classes.errors import ClassError
from dossier.classes.models import ClassChange, GuestClass
from dossier.classes.services import (
    PolicyInput,
    classes_recompute,
    policy_get,
    policy_update,
)
from dossier.core.models import AuditEvent
from dossier.guests.models import Guest
from tests.factories import GuestFactory


def klass(guest: Guest) -> str:
    return Guest.objects.get(pk=guest.pk).guest_class


def test_default_thresholds_give_each_guest_the_class_their_spend_earns(
    prop, guests, manager
):
    # given the default policy: A from ¥50,000, B from ¥10,000, company guests B
    # when
    report = classes_recompute(property=prop, actor=manager)

    # then
    assert {name: klass(g) for name, g in guests.items()} == {
        "big": "A",
        "regular": "B",
        "small": "C",
        "staff": "B",
    }
    assert report.guests == 4
    assert report.by_class == {"A": 1, "B": 2, "C": 1}
    assert (report.changed, report.upgraded, report.downgraded) == (3, 3, 0)
    row = GuestClass.objects.get(guest=guests["big"])
    assert (row.klass, row.annual_spend, row.visits) == ("A", Decimal("50000.00"), 2)
    change = ClassChange.objects.get(guest=guests["big"])
    assert (change.from_class, change.to_class, change.kind, change.by) == (
        "C",
        "A",
        "computed",
        manager,
    )
    assert change.reason == "近 365 天消费 ¥50,000.00，2 次，达到 A 类下限 ¥50,000.00"
    event = AuditEvent.objects.get(action="classes.recomputed")
    assert event.detail["by_class"] == {"A": 1, "B": 2, "C": 1}


def test_one_fen_below_the_threshold_is_not_enough(prop, spend):
    # given a guest one fen short of A
    guest = GuestFactory(full_name="孙差一分")
    spend(guest, "49999.99")

    # when
    classes_recompute(property=prop)

    # then
    assert klass(guest) == "B"


def test_second_run_on_the_same_day_changes_nothing(prop, guests):
    classes_recompute(property=prop)

    report = classes_recompute(property=prop)

    assert report.changed == 0
    assert ClassChange.objects.count() == 3


def test_spend_outside_the_window_does_not_count(prop, guests):
    # when the window is 60 days, the ¥20,000 bill 100 days ago falls out
    policy_update(
        actor=None,
        property=prop,
        data=PolicyInput(a_min_spend=Decimal("50000"), b_min_spend=Decimal("10000"),
                         window_days=60),
    )  # fmt: skip
    classes_recompute(property=prop)

    # then
    assert klass(guests["big"]) == "B"
    assert GuestClass.objects.get(guest=guests["big"]).annual_spend == Decimal(
        "30000.00"
    )


def test_spend_after_the_day_of_computation_does_not_count(prop, guests):
    on = prop.today() - timedelta(days=10)

    classes_recompute(property=prop, on=on)

    # only the bill 100 days ago was before the day: ¥20,000 is B
    assert klass(guests["big"]) == "B"
    assert ClassChange.objects.get(guest=guests["big"]).on == on


def test_a_class_falls_when_spend_stops(prop, guests):
    classes_recompute(property=prop)

    report = classes_recompute(property=prop, on=prop.today() + timedelta(days=400))

    assert klass(guests["big"]) == "C"
    assert report.downgraded == 2  # the company guest stays B
    latest = ClassChange.objects.filter(guest=guests["big"]).first()
    assert (latest.from_class, latest.to_class) == ("A", "C")


def test_visit_and_company_rules_follow_the_policy(prop, guests, spend):
    # given B needs 3 visits if spend is short, and company guests are not B by default
    frequent = GuestFactory(full_name="周三次")
    for _ in range(3):
        spend(frequent, "100.00")
    policy_update(
        actor=None,
        property=prop,
        data=PolicyInput(a_min_spend=Decimal("50000"), b_min_spend=Decimal("10000"),
                         a_min_visits=3, b_min_visits=3, company_is_b=False),
    )  # fmt: skip

    classes_recompute(property=prop)

    # the big spender has 2 visits: not A; the frequent guest is a regular
    assert klass(guests["big"]) == "B"
    assert klass(frequent) == "B"
    assert klass(guests["staff"]) == "C"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (PolicyInput(Decimal("100"), Decimal("0")), "b_min_spend",
         "B 类年消费下限应大于 0"),
        (PolicyInput(Decimal("100"), Decimal("100")), "a_min_spend",
         "A 类年消费下限应高于 B 类下限"),
        (PolicyInput(Decimal("100"), Decimal("10"), window_days=7), "window_days",
         "统计天数应在 30 至 1096 之间"),
    ],
)  # fmt: skip
def test_policy_that_cannot_work_is_refused(prop, data, field, message):
    with pytest.raises(ClassError) as caught:
        policy_update(actor=None, property=prop, data=data)

    assert (caught.value.field, caught.value.message) == (field, message)
    assert policy_get(prop).b_min_spend == Decimal("10000.00")
    assert not AuditEvent.objects.filter(action="classes.policy_changed").exists()


def test_policy_change_is_audited(prop, manager):
    policy_update(
        actor=manager,
        property=prop,
        data=PolicyInput(a_min_spend=Decimal("80000.50"), b_min_spend=Decimal("8000")),
    )

    event = AuditEvent.objects.get(action="classes.policy_changed")
    assert event.actor == manager
    assert event.detail["before"]["a_min_spend"] == "50000.00"
    assert event.detail["after"]["a_min_spend"] == "80000.50"


def test_quarterly_job_runs_once_per_quarter(prop, guests):
    from datetime import date

    from dossier.classes.services import classes_recompute_due

    first = classes_recompute_due(property=prop, on=date(2026, 10, 1))
    again = classes_recompute_due(property=prop, on=date(2026, 12, 31))
    next_quarter = classes_recompute_due(property=prop, on=date(2027, 1, 1))

    assert first is not None
    assert again is None
    assert next_quarter is not None
    assert next_quarter.on == date(2027, 1, 1)
