"""Loans (R7): approval, one active loan per case also under a double click."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from dossier.core.models import Property
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.loans import loan_return, loan_sign_out, loans_overdue
from dossier.records.models import ArchiveClass, Case, Loan
from dossier.records.services import CaseDraft, IntakeInput, case_file
from tests.conftest import StaffMaker
from tests.records.conftest import FileCase, run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def borrower(make_staff: StaffMaker) -> User:
    user = make_staff("marketing", username="lin")
    user.first_name, user.last_name = "芳", "林"
    user.save()
    return user


def test_an_original_leaves_only_with_approval(
    file_case: FileCase, archivist: User, borrower: User, prop: Property
) -> None:
    case = file_case().case

    with pytest.raises(RecordsError) as refused:
        loan_sign_out(
            actor=archivist,
            case=case,
            borrower=borrower,
            due_date=prop.today() + timedelta(days=3),
            approved_by=archivist,
        )

    assert refused.value.code == RecordsErrorCode.NOT_APPROVED
    assert Loan.objects.count() == 0


def test_a_second_loan_is_refused_saying_who_holds_it_until_when(
    file_case: FileCase, archivist: User, borrower: User, manager: User, prop: Property
) -> None:
    case = file_case().case
    due = prop.today() + timedelta(days=3)
    loan_sign_out(
        actor=archivist, case=case, borrower=borrower, due_date=due, approved_by=manager
    )

    with pytest.raises(RecordsError) as refused:
        loan_sign_out(
            actor=archivist,
            case=case,
            borrower=manager,
            due_date=due,
            approved_by=manager,
        )

    assert refused.value.message == (
        f"档案 {case.archive_number} 已由 芳 林 借出，应于 {due:%Y-%m-%d} 归还"
    )
    assert Loan.objects.count() == 1


def test_a_returned_case_can_be_lent_again_and_an_incomplete_return_needs_a_note(
    file_case: FileCase, archivist: User, borrower: User, manager: User, prop: Property
) -> None:
    case = file_case().case
    due = prop.today() + timedelta(days=3)
    loan = loan_sign_out(
        actor=archivist, case=case, borrower=borrower, due_date=due, approved_by=manager
    )

    with pytest.raises(RecordsError, match="须注明短缺情况"):
        loan_return(actor=archivist, loan=loan, complete=False)
    loan_return(actor=archivist, loan=loan, complete=True)
    again = loan_sign_out(
        actor=archivist, case=case, borrower=manager, due_date=due, approved_by=manager
    )

    assert again.pk != loan.pk
    assert Loan.objects.filter(case=case, returned_at__isnull=True).get() == again


def test_overdue_loans_are_listed_for_reminders(
    file_case: FileCase, archivist: User, borrower: User, manager: User, prop: Property
) -> None:
    late = file_case(title="逾期").case
    fine = file_case(title="未到期").case
    loan_sign_out(
        actor=archivist,
        case=late,
        borrower=borrower,
        due_date=prop.today() + timedelta(days=1),
        approved_by=manager,
    )
    loan_sign_out(
        actor=archivist,
        case=fine,
        borrower=borrower,
        due_date=prop.today() + timedelta(days=10),
        approved_by=manager,
    )

    overdue = loans_overdue(prop, today=prop.today() + timedelta(days=2))

    assert [loan.case.title for loan in overdue] == ["逾期"]


@pytest.mark.django_db(transaction=True)
def test_a_double_click_lends_once_and_refuses_the_other(
    shared_database: None,
    archivist: User,
    minor: ArchiveClass,
    borrower: User,
    manager: User,
    prop: Property,
) -> None:
    case = case_file(
        actor=archivist,
        draft=CaseDraft(archive_class=minor, title="原件", department="采购部"),
        intake=IntakeInput(),
    ).case
    due = prop.today() + timedelta(days=5)

    def click(index: int) -> Loan:
        time.sleep(index * 0.05)
        return loan_sign_out(
            actor=archivist,
            case=Case.objects.get(pk=case.pk),
            borrower=borrower,
            due_date=due,
            approved_by=manager,
        )

    results = run_together(2, click)

    loans = [r for r in results if isinstance(r, Loan)]
    refusals = [r for r in results if isinstance(r, RecordsError)]
    assert len(loans) == 1
    assert [r.message for r in refusals] == [
        f"档案 {case.archive_number} 已由 芳 林 借出，应于 {due:%Y-%m-%d} 归还"
    ]
    assert Loan.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_the_very_same_moment_still_lend_once(
    shared_database: None,
    archivist: User,
    minor: ArchiveClass,
    borrower: User,
    manager: User,
    prop: Property,
) -> None:
    case = case_file(
        actor=archivist,
        draft=CaseDraft(archive_class=minor, title="原件", department="采购部"),
        intake=IntakeInput(),
    ).case

    results = run_together(
        2,
        lambda index: loan_sign_out(
            actor=archivist,
            case=Case.objects.get(pk=case.pk),
            borrower=borrower,
            due_date=prop.today() + timedelta(days=5),
            approved_by=manager,
        ),
    )

    assert sorted(type(r).__name__ for r in results) == ["Loan", "RecordsError"]
    assert Loan.objects.filter(case=case).count() == 1
