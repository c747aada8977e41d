"""Loan requests: the approver is told, and a request left unapproved lapses."""

import socket
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from dossier.core.models import AuditEvent, Property
from dossier.records.loans import loan_approve, loan_request, loan_requests_expire
from dossier.records.models import Case, Loan, LoanNotice, LoanNoticeKind, LoanState
from dossier.records.selectors import loans_awaiting_approval
from tests.conftest import StaffMaker
from tests.records.conftest import FileCase, archive_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def borrower(make_staff: StaffMaker) -> User:
    user = make_staff("marketing", username="lin")
    user.first_name, user.last_name, user.email = "芳", "林", "lin@example.com"
    user.save()
    return archive_reader(user)


@pytest.fixture
def approver(manager: User) -> User:
    manager.first_name, manager.last_name, manager.email = (
        "伟",
        "王",
        "wang@example.com",
    )
    manager.save()
    return manager


@pytest.fixture
def case(file_case: FileCase) -> Case:
    result = file_case(title="供应商合同")
    return result.case  # type: ignore[no-any-return]


def _request(
    case: Case, archivist: User, borrower: User | None, approver: User, **extra: Any
) -> Loan:
    return loan_request(
        actor=archivist,
        case=case,
        borrower=borrower,
        due_date=case.property.today() + timedelta(days=10),
        approved_by=approver,
        **extra,
    )


def test_the_approver_is_told_of_a_request_in_the_product_and_by_e_mail(
    case: Case,
    archivist: User,
    borrower: User,
    approver: User,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # when the archivist asks the manager to approve a loan
    with django_capture_on_commit_callbacks(execute=True):
        loan = _request(case, archivist, borrower, approver)

    # then the manager has one notice, e-mailed once the request is committed
    notice = LoanNotice.objects.get()
    assert (notice.recipient, notice.kind, notice.emailed) == (
        approver,
        LoanNoticeKind.APPROVAL,
        True,
    )
    assert notice.message == (
        f"archivist 申请借出档案 {case.archive_number}《供应商合同》给 林芳，"
        f"应还 {loan.due_date:%Y-%m-%d}，待您批准。请在“待我批准的借出”页批准或不批准；"
        "7 天内未批准，申请将自动撤回。"
    )
    assert [(m.to, m.subject, m.body) for m in mailoutbox] == [
        (
            ["wang@example.com"],
            f"借出申请待您批准：{case.archive_number}",
            notice.message,
        )
    ]


def test_an_approval_recorded_from_paper_tells_nobody(
    case: Case,
    archivist: User,
    borrower: User,
    approver: User,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _request(case, archivist, borrower, approver, approved_on_paper=True)

    assert not LoanNotice.objects.exists()
    assert mailoutbox == []


def test_a_mail_server_that_is_down_leaves_the_request_and_its_notice(
    case: Case,
    archivist: User,
    borrower: User,
    approver: User,
    settings: SettingsWrapper,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given a mail server that refuses connections (a port nothing listens on)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        port,
        2,
    )
    client.force_login(archivist)

    # when the archivist asks for a loan on the case page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/records/cases/{case.pk}/loan/",
            {
                "borrower": "lin",
                "approver": "manager",
                "due_date": f"{case.property.today() + timedelta(days=10):%Y-%m-%d}",
            },
        )

    # then the request stands, the notice is in the product, marked not e-mailed
    assert response.status_code == 302
    assert Loan.objects.get().state == LoanState.REQUESTED
    notice = LoanNotice.objects.get()
    assert (notice.recipient, notice.emailed) == (approver, False)


class TestExpiry:
    def test_a_request_left_unapproved_for_the_days_set_is_withdrawn_once(
        self,
        case: Case,
        archivist: User,
        borrower: User,
        approver: User,
        prop: Property,
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        # given a request the manager has not answered
        loan = _request(case, archivist, borrower, approver)
        asked = prop.today()
        mailoutbox.clear()

        # when the daily withdrawal runs on the sixth and seventh day, then again
        with django_capture_on_commit_callbacks(execute=True):
            sixth = loan_requests_expire(on=asked + timedelta(days=6), prop=prop)
            seventh = loan_requests_expire(on=asked + timedelta(days=7), prop=prop)
            again = loan_requests_expire(on=asked + timedelta(days=7), prop=prop)

        # then it is withdrawn on the seventh day only, saying why, audited
        assert (sixth, seventh, again) == (0, 1, 0)
        loan.refresh_from_db()
        assert loan.state == LoanState.WITHDRAWN
        assert loan.withdrawal_reason == "批准人 王伟 在 7 天内未批准，申请自动撤回"
        event = AuditEvent.objects.get(action="records.loan_withdrawn")
        assert event.actor_id is None
        assert event.detail["expired_on"] == f"{asked + timedelta(days=7):%Y-%m-%d}"
        assert list(loans_awaiting_approval(approver)) == []

        # and the borrower and the archivist who asked are told once, the borrower
        # also by e-mail
        expired = LoanNotice.objects.filter(kind=LoanNoticeKind.EXPIRED)
        assert sorted(n.recipient.username for n in expired) == ["archivist", "lin"]
        message = (
            f"{asked:%Y-%m-%d} 申请借出的档案 {case.archive_number}《供应商合同》"
            f"（借阅人 林芳）在 7 天内未获 王伟 批准，已于 "
            f"{asked + timedelta(days=7):%Y-%m-%d} 自动撤回，原件不再预留。"
            "如仍需借阅，请重新申请。"
        )
        assert {n.message for n in expired} == {message}
        assert [(m.to, m.subject) for m in mailoutbox] == [
            (["lin@example.com"], f"借出申请已撤回：{case.archive_number}")
        ]

        # and the original is free to be asked for again
        assert _request(case, archivist, borrower, approver).state == "requested"

    def test_a_request_approved_in_time_is_kept(
        self,
        case: Case,
        archivist: User,
        borrower: User,
        approver: User,
        prop: Property,
    ) -> None:
        loan = _request(case, archivist, borrower, approver)
        loan_approve(actor=approver, loan=loan)

        assert (
            loan_requests_expire(on=prop.today() + timedelta(days=30), prop=prop) == 0
        )
        loan.refresh_from_db()
        assert loan.state == LoanState.APPROVED

    def test_a_borrower_without_an_account_is_told_through_the_archivist(
        self, case: Case, archivist: User, approver: User, prop: Property
    ) -> None:
        _request(
            case,
            archivist,
            None,
            approver,
            borrower_name="赵敏",
            borrower_department="财务部",
        )

        loan_requests_expire(on=prop.today() + timedelta(days=7), prop=prop)

        notice = LoanNotice.objects.get(kind=LoanNoticeKind.EXPIRED)
        assert notice.recipient == archivist
        assert "（借阅人 赵敏（财务部））" in notice.message

    def test_the_days_are_a_setting(
        self,
        case: Case,
        archivist: User,
        borrower: User,
        approver: User,
        prop: Property,
        settings: SettingsWrapper,
    ) -> None:
        settings.DOSSIER_LOAN_REQUEST_DAYS = 2
        loan = _request(case, archivist, borrower, approver)

        assert loan_requests_expire(on=prop.today() + timedelta(days=1), prop=prop) == 0
        assert loan_requests_expire(on=prop.today() + timedelta(days=2), prop=prop) == 1
        loan.refresh_from_db()
        assert loan.withdrawal_reason == "批准人 王伟 在 2 天内未批准，申请自动撤回"

    def test_another_propertys_requests_are_left_to_its_own_run(
        self,
        case: Case,
        archivist: User,
        borrower: User,
        approver: User,
        prop: Property,
    ) -> None:
        other = Property.objects.create(code="branch", name="分店")
        _request(case, archivist, borrower, approver)

        assert (
            loan_requests_expire(on=prop.today() + timedelta(days=9), prop=other) == 0
        )
        assert Loan.objects.get().state == LoanState.REQUESTED

    def test_the_daily_run_withdraws_once_however_often_it_runs(
        self,
        case: Case,
        archivist: User,
        borrower: User,
        approver: User,
        prop: Property,
    ) -> None:
        from dossier.care.daily import run_daily

        loan = _request(case, archivist, borrower, approver)
        later = prop.today() + timedelta(days=8)

        run_daily(today=later, jobs=["records.loan_requests_expire"])
        run_daily(today=later, jobs=["records.loan_requests_expire"])
        run_daily(
            today=later + timedelta(days=1), jobs=["records.loan_requests_expire"]
        )

        loan.refresh_from_db()
        assert loan.state == LoanState.WITHDRAWN
        assert AuditEvent.objects.filter(action="records.loan_withdrawn").count() == 1
        assert LoanNotice.objects.filter(kind=LoanNoticeKind.EXPIRED).count() == 2

    def test_the_borrower_reads_the_note_in_the_inbox(
        self,
        case: Case,
        archivist: User,
        borrower: User,
        approver: User,
        prop: Property,
        client: Client,
    ) -> None:
        _request(case, archivist, borrower, approver)
        loan_requests_expire(on=prop.today() + timedelta(days=7), prop=prop)
        client.force_login(borrower)

        page = client.get("/inbox/").content.decode()

        assert "已撤回的借出申请" in page
        assert f"申请借出的档案 {case.archive_number}《供应商合同》" in page
