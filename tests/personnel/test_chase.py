"""Chasing overdue receipts: one reminder per overdue case, however often it runs."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from dossier.core.models import AuditEvent, Property
from dossier.personnel.models import ReceiptReminder
from dossier.personnel.selectors import receipts_outstanding
from dossier.personnel.services import personnel_receipts_chase, receipt_record
from tests.personnel.conftest import CaseMaker

pytestmark = pytest.mark.django_db


def test_each_overdue_case_gets_one_reminder_and_a_second_run_none(
    archivist: User, handed_case: CaseMaker, checked_case: CaseMaker, prop: Property
) -> None:
    # given two overdue on day 40, one due later, one closed, one not handed over
    today = prop.today()
    late = handed_case(receipt_due=today + timedelta(days=10))
    later = handed_case(receipt_due=today + timedelta(days=30))
    handed_case(receipt_due=today + timedelta(days=60))
    closed = handed_case(receipt_due=today + timedelta(days=5))
    receipt_record(
        actor=archivist, sign_out=closed, received_on=today, signed_by="赵敏"
    )
    checked_case()
    day = today + timedelta(days=40)

    # when
    first = personnel_receipts_chase(on=day)
    second = personnel_receipts_chase(on=day)
    next_day = personnel_receipts_chase(on=day + timedelta(days=1))

    # then
    assert (first, second, next_day) == (2, 0, 0)
    reminders = ReceiptReminder.objects.order_by("sign_out__receipt_due")
    assert [(r.sign_out_id, r.days_overdue, r.created_on) for r in reminders] == [
        (late.pk, 30, day),
        (later.pk, 10, day),
    ]
    assert AuditEvent.objects.filter(action="personnel.receipt_chased").count() == 2


def test_nothing_is_due_on_the_due_date_itself(
    handed_case: CaseMaker, prop: Property
) -> None:
    due = prop.today() + timedelta(days=7)
    handed_case(receipt_due=due)

    assert personnel_receipts_chase(on=due) == 0
    assert personnel_receipts_chase(on=due + timedelta(days=1)) == 1


def test_the_outstanding_list_shows_days_overdue_and_the_reminder(
    handed_case: CaseMaker, prop: Property
) -> None:
    today = prop.today()
    case = handed_case(receipt_due=today + timedelta(days=3))
    day = today + timedelta(days=8)
    personnel_receipts_chase(on=day)

    rows = receipts_outstanding(prop, day)

    assert [(r.sign_out.pk, r.days_overdue, r.reminded_on) for r in rows] == [
        (case.pk, 5, day)
    ]


def test_the_command_chases_and_says_how_many(
    handed_case: CaseMaker, prop: Property
) -> None:
    handed_case(receipt_due=prop.today() + timedelta(days=1))
    on = prop.today() + timedelta(days=20)
    out = StringIO()

    call_command("personnel-chase", "--on", on.isoformat(), stdout=out)
    call_command("personnel-chase", "--on", on.isoformat(), stdout=out)

    assert out.getvalue().splitlines() == [
        f"{on:%Y-%m-%d}：新建回执催办 1 条",
        f"{on:%Y-%m-%d}：新建回执催办 0 条",
    ]


def test_the_command_refuses_a_malformed_date() -> None:
    with pytest.raises(CommandError, match="--on 日期格式应为 YYYY-MM-DD：2026/12/01"):
        call_command("personnel-chase", "--on", "2026/12/01")
