"""Register numbers and reminders stay unique when archivists and workers run at once."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from dossier.core.models import Property
from dossier.personnel.models import ReceiptReminder, SignOut
from dossier.personnel.services import (
    personnel_receipts_chase,
    sign_out_check,
)
from tests.personnel.conftest import CaseMaker, all_documents, details
from tests.records.conftest import run_together, shared_database  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_checks_get_distinct_register_numbers(
    shared_database: None,  # noqa: F811
    archivist: User,
    open_case: CaseMaker,
    prop: Property,
) -> None:
    # given four cases opened on four files
    cases = [open_case() for _ in range(4)]

    # when the four are checked at the same moment
    def work(index: int) -> str:
        sign_out = SignOut.objects.select_related("file", "property").get(
            pk=cases[index].pk
        )
        checked = sign_out_check(
            actor=archivist,
            sign_out=sign_out,
            details=details(sign_out),
            documents=all_documents(sign_out),
        )
        return checked.register_number

    results = run_together(4, work)

    # then each has its own number, none skipped
    year = prop.today().year
    assert sorted(results) == [f"{year}-{n:04d}" for n in range(1, 5)]


def test_two_workers_chasing_at_once_create_each_reminder_once(
    shared_database: None,  # noqa: F811
    handed_case: CaseMaker,
    prop: Property,
) -> None:
    # given three overdue cases
    for _ in range(3):
        handed_case(receipt_due=prop.today() + timedelta(days=1))
    on = prop.today() + timedelta(days=10)

    # when two workers run the chase together
    results = run_together(2, lambda _: personnel_receipts_chase(on=on))

    # then three reminders exist and the workers' counts add up to three
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 3
    assert ReceiptReminder.objects.count() == 3
