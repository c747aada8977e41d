"""Loans (R7): approval, one active loan per case also under a double click."""

import io
import time
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from dossier.core.models import AuditEvent, Property
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.loans import (
    borrower_label,
    loan_approve,
    loan_hand_out,
    loan_refuse,
    loan_request,
    loan_return,
    loans_overdue,
    loans_overdue_remind,
    reminders_for,
)
from dossier.records.models import (
    ArchiveClass,
    Case,
    Loan,
    LoanReminder,
    LoanState,
    ReminderRole,
)
from dossier.records.selectors import loans_awaiting_approval
from dossier.records.services import CaseDraft, IntakeInput, case_file
from tests.conftest import StaffMaker
from tests.records.conftest import FileCase, archive_reader, lend, run_together
from tests.records.test_form_errors import _beside

pytestmark = pytest.mark.django_db


@pytest.fixture
def borrower(make_staff: StaffMaker) -> User:
    user = make_staff("marketing", username="lin")
    user.first_name, user.last_name = "芳", "林"
    user.save()
    # Marketing does not read the archive; this colleague was given the right.
    user = archive_reader(user)
    return user


def test_an_original_leaves_only_with_approval(
    file_case: FileCase, archivist: User, borrower: User, prop: Property
) -> None:
    case = file_case().case

    with pytest.raises(RecordsError) as refused:
        lend(
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
    lend(
        actor=archivist, case=case, borrower=borrower, due_date=due, approved_by=manager
    )

    with pytest.raises(RecordsError) as refused:
        lend(
            actor=archivist,
            case=case,
            borrower=archivist,
            due_date=due,
            approved_by=manager,
        )

    assert refused.value.message == (
        f"档案 {case.archive_number} 已由 林芳 借出，应于 {due:%Y-%m-%d} 归还"
    )
    assert Loan.objects.count() == 1


def test_a_returned_case_can_be_lent_again_and_an_incomplete_return_needs_a_note(
    file_case: FileCase, archivist: User, borrower: User, manager: User, prop: Property
) -> None:
    case = file_case().case
    due = prop.today() + timedelta(days=3)
    loan = lend(
        actor=archivist, case=case, borrower=borrower, due_date=due, approved_by=manager
    )

    with pytest.raises(RecordsError, match="须注明短缺情况"):
        loan_return(actor=archivist, loan=loan, complete=False)
    with pytest.raises(RecordsError, match="最多 500 字"):
        loan_return(actor=archivist, loan=loan, complete=False, note="缺" * 501)
    loan_return(actor=archivist, loan=loan, complete=True)
    again = lend(
        actor=archivist,
        case=case,
        borrower=archivist,
        due_date=due,
        approved_by=manager,
    )

    assert again.pk != loan.pk
    assert Loan.objects.filter(case=case, returned_at__isnull=True).get() == again


def test_overdue_loans_are_listed_for_reminders(
    file_case: FileCase, archivist: User, borrower: User, manager: User, prop: Property
) -> None:
    late = file_case(title="逾期").case
    fine = file_case(title="未到期").case
    lend(
        actor=archivist,
        case=late,
        borrower=borrower,
        due_date=prop.today() + timedelta(days=1),
        approved_by=manager,
    )
    lend(
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
        return loan_request(
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
        f"档案 {case.archive_number} 已有待批准的借出申请（借阅人 林芳，批准人 manager，"
        f"应还 {due:%Y-%m-%d}），须待其批准或不批准后再申请"
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
        lambda index: loan_request(
            actor=archivist,
            case=Case.objects.get(pk=case.pk),
            borrower=borrower,
            due_date=prop.today() + timedelta(days=5),
            approved_by=manager,
        ),
    )

    assert sorted(type(r).__name__ for r in results) == ["Loan", "RecordsError"]
    assert Loan.objects.filter(case=case).count() == 1


class TestDueDateLimits:
    """A due date must be after today and within the longest loan period."""

    def test_year_9999_is_refused_naming_the_latest_date(
        self,
        file_case: FileCase,
        archivist: User,
        borrower: User,
        manager: User,
        prop: Property,
    ) -> None:
        case = file_case().case
        latest = prop.today() + timedelta(days=90)

        with pytest.raises(RecordsError) as refused:
            lend(
                actor=archivist,
                case=case,
                borrower=borrower,
                due_date=date(9999, 12, 31),
                approved_by=manager,
            )

        assert refused.value.field == "due_date"
        assert refused.value.message == (
            f"9999-12-31 超出最长借期 90 天，最晚为 {latest:%Y-%m-%d}"
        )
        assert Loan.objects.count() == 0

    def test_the_longest_period_is_a_setting(
        self,
        file_case: FileCase,
        archivist: User,
        borrower: User,
        manager: User,
        prop: Property,
        settings: Any,
    ) -> None:
        settings.DOSSIER_LOAN_MAX_DAYS = 7
        case = file_case().case

        with pytest.raises(RecordsError, match="超出最长借期 7 天"):
            lend(
                actor=archivist,
                case=case,
                borrower=borrower,
                due_date=prop.today() + timedelta(days=8),
                approved_by=manager,
            )
        loan = lend(
            actor=archivist,
            case=case,
            borrower=borrower,
            due_date=prop.today() + timedelta(days=7),
            approved_by=manager,
        )
        assert loan.due_date == prop.today() + timedelta(days=7)

    def test_an_approver_without_the_right_is_named(
        self, file_case: FileCase, archivist: User, borrower: User, prop: Property
    ) -> None:
        with pytest.raises(RecordsError) as refused:
            lend(
                actor=archivist,
                case=file_case().case,
                borrower=borrower,
                due_date=prop.today() + timedelta(days=3),
                approved_by=borrower,
            )

        assert refused.value.field == "approved_by"
        assert refused.value.message == (
            "林芳 无权批准借出原件，请由部门主管或总经理批准"
        )


class TestOverdueReminders:
    @pytest.fixture
    def overdue(
        self,
        file_case: FileCase,
        archivist: User,
        borrower: User,
        manager: User,
        prop: Property,
    ) -> Loan:
        loan = lend(
            actor=archivist,
            case=file_case(title="借出的合同").case,
            borrower=borrower,
            due_date=prop.today() + timedelta(days=3),
            approved_by=manager,
        )
        borrower.email = "lin@example.com"
        borrower.save()
        return loan

    def test_borrower_and_archivist_are_reminded_once(
        self,
        overdue: Loan,
        borrower: User,
        archivist: User,
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        # given a loan due in three days, looked at a week later
        later = overdue.due_date + timedelta(days=4)

        # when the reminder runs twice
        with django_capture_on_commit_callbacks(execute=True):
            first = loans_overdue_remind(on=later)
        with django_capture_on_commit_callbacks(execute=True):
            second = loans_overdue_remind(on=later + timedelta(days=1))

        # then one notice each for the borrower and the archivist, one e-mail
        assert (first, second) == (2, 0)
        notices = {r.recipient.username: r for r in LoanReminder.objects.all()}
        assert set(notices) == {"lin", "archivist"}
        assert notices["lin"].role == ReminderRole.BORROWER
        assert notices["lin"].message == (
            f"档案 {overdue.case.archive_number}《借出的合同》由 林芳 借出，"
            f"应于 {overdue.due_date:%Y-%m-%d} 归还，已逾期 4 天，请尽快归还。"
        )
        assert [m.to for m in mailoutbox] == [["lin@example.com"]]
        assert mailoutbox[0].subject == f"催还档案 {overdue.case.archive_number}"
        assert list(reminders_for(archivist)) == [notices["archivist"]]

    def test_a_loan_not_yet_due_or_returned_is_not_reminded(
        self, overdue: Loan, archivist: User
    ) -> None:
        assert loans_overdue_remind(on=overdue.due_date) == 0
        loan_return(actor=archivist, loan=overdue, complete=True)

        assert loans_overdue_remind(on=overdue.due_date + timedelta(days=9)) == 0
        assert not LoanReminder.objects.exists()

    def test_the_command_reports_how_many_were_made(self, overdue: Loan) -> None:
        out = io.StringIO()
        on = overdue.due_date + timedelta(days=1)

        call_command("loans-remind", "--on", f"{on:%Y-%m-%d}", stdout=out)

        assert out.getvalue().strip() == f"{on:%Y-%m-%d}：新生成催还提醒 2 条"

    def test_the_command_refuses_a_malformed_date(self) -> None:
        with pytest.raises(CommandError, match="--on 须为 YYYY-MM-DD"):
            call_command("loans-remind", "--on", "2026-13-01")


def test_the_daily_run_reminds_of_overdue_loans_once(
    file_case: FileCase, archivist: User, borrower: User, manager: User, prop: Property
) -> None:
    from dossier.care.daily import run_daily
    from dossier.records.models import LoanReminder

    loan = lend(
        actor=archivist,
        case=file_case(title="逾期未还的合同").case,
        borrower=borrower,
        due_date=prop.today() + timedelta(days=3),
        approved_by=manager,
    )
    later = loan.due_date + timedelta(days=2)
    run_daily(today=later, jobs=["records.loans_overdue"])
    run_daily(today=later, jobs=["records.loans_overdue"])
    reminded = set(
        LoanReminder.objects.filter(loan=loan).values_list("recipient_id", flat=True)
    )
    assert reminded == {borrower.pk, archivist.pk}


def test_a_manager_cannot_approve_their_own_loan(
    file_case: FileCase, archivist: User, manager: User, prop: Property
) -> None:
    with pytest.raises(RecordsError) as refused:
        lend(
            actor=archivist,
            case=file_case().case,
            borrower=manager,
            due_date=prop.today() + timedelta(days=3),
            approved_by=manager,
        )
    assert refused.value.field == "approved_by"
    assert "不能批准自己" in refused.value.message
    assert not Loan.objects.exists()


class TestApproval:
    """R7: a request waits for its approver; only an approved loan is handed out."""

    @pytest.fixture
    def requested(
        self,
        file_case: FileCase,
        archivist: User,
        borrower: User,
        manager: User,
        prop: Property,
    ) -> Loan:
        return loan_request(
            actor=archivist,
            case=file_case(title="租赁合同").case,
            borrower=borrower,
            due_date=prop.today() + timedelta(days=7),
            approved_by=manager,
            purpose="核对条款",
        )

    def test_a_request_reserves_the_original_until_the_approver_approves(
        self, requested: Loan, archivist: User, manager: User, prop: Property
    ) -> None:
        # given a request naming the manager as approver
        assert requested.state == LoanState.REQUESTED
        assert list(loans_awaiting_approval(manager)) == [requested]

        # when the archivist tries to hand it out, or to lend it to someone else
        with pytest.raises(RecordsError) as early:
            loan_hand_out(actor=archivist, loan=requested)
        with pytest.raises(RecordsError) as second:
            loan_request(
                actor=archivist,
                case=requested.case,
                borrower=archivist,
                due_date=prop.today() + timedelta(days=3),
                approved_by=manager,
            )

        # then both are refused, naming the approver and the open request
        assert (early.value.code, early.value.message) == (
            RecordsErrorCode.NOT_APPROVED,
            "manager 尚未批准，原件不能出库",
        )
        assert second.value.message == (
            f"档案 {requested.case.archive_number} 已有待批准的借出申请（借阅人 林芳，"
            f"批准人 manager，应还 {requested.due_date:%Y-%m-%d}），"
            "须待其批准或不批准后再申请"
        )
        assert Loan.objects.filter(case=requested.case).count() == 1
        assert loans_overdue_remind(on=requested.due_date + timedelta(days=5)) == 0

    def test_an_approved_loan_is_handed_out_and_every_step_audited(
        self, requested: Loan, archivist: User, manager: User
    ) -> None:
        approved = loan_approve(actor=manager, loan=requested)
        out = loan_hand_out(actor=archivist, loan=approved)

        assert (out.state, out.signed_out_by, out.out_at is not None) == (
            LoanState.OUT,
            archivist,
            True,
        )
        assert list(loans_awaiting_approval(manager)) == []
        steps = AuditEvent.objects.filter(action__startswith="records.loan_")
        assert [(e.action, e.actor_id) for e in steps.order_by("pk")] == [
            ("records.loan_requested", archivist.pk),
            ("records.loan_approved", manager.pk),
            ("records.loan_signed_out", archivist.pk),
        ]

    def test_a_refusal_needs_a_reason_and_frees_the_original(
        self, requested: Loan, archivist: User, manager: User, prop: Property
    ) -> None:
        with pytest.raises(RecordsError, match="不批准时须写明理由"):
            loan_refuse(actor=manager, loan=requested, reason="  ")

        refused = loan_refuse(actor=manager, loan=requested, reason="原件正在审计")
        with pytest.raises(RecordsError, match="未获批准，不能再办理"):
            loan_hand_out(actor=archivist, loan=refused)
        again = lend(
            actor=archivist,
            case=requested.case,
            borrower=archivist,
            due_date=prop.today() + timedelta(days=3),
            approved_by=manager,
        )

        assert (refused.state, refused.refusal_reason) == (
            LoanState.REFUSED,
            "原件正在审计",
        )
        assert again.state == LoanState.OUT
        event = AuditEvent.objects.get(action="records.loan_refused")
        assert (event.actor_id, event.detail["reason"]) == (manager.pk, "原件正在审计")

    def test_only_the_named_approver_decides(
        self, requested: Loan, make_staff: StaffMaker
    ) -> None:
        other_manager = make_staff("management", username="other")

        with pytest.raises(RecordsError) as refused:
            loan_approve(actor=other_manager, loan=requested)

        assert refused.value.message == "该借出须由 manager 批准"
        requested.refresh_from_db()
        assert requested.state == LoanState.REQUESTED

    def test_the_archivist_cannot_approve_what_they_request(
        self,
        file_case: FileCase,
        make_staff: StaffMaker,
        borrower: User,
        prop: Property,
    ) -> None:
        head = make_staff("management", username="head")
        head.groups.add(*make_staff("archive").groups.all())

        with pytest.raises(RecordsError) as refused:
            loan_request(
                actor=head,
                case=file_case().case,
                borrower=borrower,
                due_date=prop.today() + timedelta(days=3),
                approved_by=head,
            )

        assert refused.value.message == (
            "head 不能批准自己经办的借出，请由另一位主管批准"
        )
        assert not Loan.objects.exists()

    def test_an_approval_on_paper_records_who_entered_it(
        self,
        file_case: FileCase,
        archivist: User,
        borrower: User,
        manager: User,
        prop: Property,
    ) -> None:
        loan = loan_request(
            actor=archivist,
            case=file_case().case,
            borrower=borrower,
            due_date=prop.today() + timedelta(days=3),
            approved_by=manager,
            approved_on_paper=True,
        )
        out = loan_hand_out(actor=archivist, loan=loan)

        assert (out.state, out.approved_by, out.approval_recorded_by) == (
            LoanState.OUT,
            manager,
            archivist,
        )
        event = AuditEvent.objects.get(action="records.loan_requested")
        assert event.detail["approved_on_paper"] is True


def test_the_approver_finds_the_request_in_the_inbox_and_approves_it(
    file_case: FileCase,
    archivist: User,
    borrower: User,
    manager: User,
    prop: Property,
    client: Any,
) -> None:
    # given the archivist asks for the manager's approval on the case page
    case = file_case(title="租赁合同").case
    client.force_login(archivist)
    due = prop.today() + timedelta(days=7)
    response = client.post(
        reverse("records:loan_create", args=[case.pk]),
        {"borrower": "lin", "approver": "manager", "due_date": f"{due:%Y-%m-%d}"},
        follow=True,
    )
    assert "借出申请已提交，待 manager 批准后方可出库" in response.content.decode()
    loan = Loan.objects.get()

    # when the manager opens the inbox and approves
    client.force_login(manager)
    inbox = client.get(reverse("transfer:inbox")).content.decode()
    client.post(reverse("records:loan_approve", args=[loan.pk]))

    # then the request was shown there, and the archivist can now hand it out
    assert "1 件借出申请待您批准" in inbox
    assert f"{case.archive_number} 租赁合同" in inbox
    client.force_login(archivist)
    page = client.get(reverse("records:loans")).content.decode()
    assert "出库交借阅人" in page
    client.post(reverse("records:loan_hand_out", args=[loan.pk]))
    loan.refresh_from_db()
    assert loan.state == LoanState.OUT

    # and a second click of the manager's, or one on refuse, is told it is done
    client.force_login(manager)
    for action, data in (("loan_approve", {}), ("loan_refuse", {"reason": "不借"})):
        again = client.post(
            reverse(f"records:{action}", args=[loan.pk]), data, follow=True
        )
        assert again.status_code == 200
        assert "这项借阅申请已处理（借出中），无需再批" in again.content.decode()
    loan.refresh_from_db()
    assert loan.state == LoanState.OUT
    # while the loan of an approver who is not named stays unknown to them
    client.force_login(archivist)
    assert client.post(reverse("records:loan_approve", args=[loan.pk])).status_code in (
        403,
        404,
    )


class TestBorrower:
    """A borrower is a user who may see the case, or a person named with a department."""

    def test_a_user_who_cannot_read_the_archive_is_refused_saying_why(
        self,
        file_case: FileCase,
        archivist: User,
        manager: User,
        make_staff: StaffMaker,
        prop: Property,
    ) -> None:
        sales = make_staff("marketing", username="sales")

        with pytest.raises(RecordsError) as refused:
            loan_request(
                actor=archivist,
                case=file_case().case,
                borrower=sales,
                due_date=prop.today() + timedelta(days=3),
                approved_by=manager,
            )

        assert (refused.value.code, refused.value.field) == (
            RecordsErrorCode.NOT_PERMITTED,
            "borrower",
        )
        assert refused.value.message == (
            "sales 无权查看该类档案，不能以其用户身份借出；"
            "如经批准确需借阅，请不选用户，改写借阅人姓名及部门"
        )
        assert not Loan.objects.exists()

    def test_a_person_named_with_a_department_may_borrow(
        self, file_case: FileCase, archivist: User, manager: User, prop: Property
    ) -> None:
        case = file_case().case
        loan = loan_request(
            actor=archivist,
            case=case,
            borrower=None,
            borrower_name="赵敏",
            borrower_department="市场销售部",
            due_date=prop.today() + timedelta(days=3),
            approved_by=manager,
        )

        with pytest.raises(RecordsError) as second:
            loan_request(
                actor=archivist,
                case=case,
                borrower=None,
                borrower_name="钱多",
                borrower_department="财务部",
                due_date=prop.today() + timedelta(days=3),
                approved_by=manager,
            )

        assert (loan.borrower, borrower_label(loan)) == (None, "赵敏（市场销售部）")
        assert "借阅人 赵敏（市场销售部）" in second.value.message

    @pytest.mark.parametrize(
        ("name", "department", "message"),
        [
            ("", "", "请选择借阅人（用户），或写明借阅人姓名及其部门"),
            ("赵敏", "", "请选择借阅人（用户），或写明借阅人姓名及其部门"),
        ],
    )
    def test_a_named_borrower_needs_name_and_department(
        self,
        file_case: FileCase,
        archivist: User,
        manager: User,
        prop: Property,
        name: str,
        department: str,
        message: str,
    ) -> None:
        with pytest.raises(RecordsError) as refused:
            loan_request(
                actor=archivist,
                case=file_case().case,
                borrower=None,
                borrower_name=name,
                borrower_department=department,
                due_date=prop.today() + timedelta(days=3),
                approved_by=manager,
            )

        assert refused.value.message == message
        assert not Loan.objects.exists()

    def test_the_page_names_the_refusal_at_the_borrower_field(
        self,
        file_case: FileCase,
        archivist: User,
        manager: User,
        make_staff: StaffMaker,
        prop: Property,
        client: Any,
    ) -> None:
        make_staff("marketing", username="sales")
        client.force_login(archivist)
        due = prop.today() + timedelta(days=7)

        response = client.post(
            reverse("records:loan_create", args=[file_case().case.pk]),
            {"borrower": "sales", "approver": "manager", "due_date": f"{due:%Y-%m-%d}"},
        )

        page = response.content.decode()
        assert response.status_code == 400
        assert 'id="id_borrower_error"' in page
        assert "sales 无权查看该类档案，不能以其用户身份借出" in page
        assert not Loan.objects.exists()


def test_an_unanswered_request_is_withdrawn_with_a_reason_and_frees_the_original(
    file_case: FileCase,
    archivist: User,
    borrower: User,
    manager: User,
    prop: Property,
    client: Any,
) -> None:
    # given a request the manager has not answered
    case = file_case().case
    due = prop.today() + timedelta(days=7)
    loan = loan_request(
        actor=archivist, case=case, borrower=borrower, due_date=due, approved_by=manager
    )
    client.force_login(archivist)

    # when the archivist withdraws it on the loans page, first without a reason
    url = reverse("records:loan_withdraw", args=[loan.pk])
    bare = client.post(url, {"reason": "  "})
    done = client.post(url, {"reason": "借阅人已不需要"}, follow=True)

    # then only the reasoned withdrawal counts, it is audited, and the case is free
    assert bare.status_code == 400
    _beside(
        bare.content.decode(), f"withdraw-{loan.pk}-reason", "撤回借出申请时须写明理由"
    )
    assert [str(m) for m in done.context["messages"]] == [
        "借出申请已撤回，原件不再预留"
    ]
    loan.refresh_from_db()
    assert (loan.state, loan.withdrawal_reason) == ("withdrawn", "借阅人已不需要")
    assert list(loans_awaiting_approval(manager)) == []
    event = AuditEvent.objects.get(action="records.loan_withdrawn")
    assert (event.actor_id, event.detail["reason"]) == (archivist.pk, "借阅人已不需要")
    again = lend(
        actor=archivist, case=case, borrower=borrower, due_date=due, approved_by=manager
    )
    assert again.state == LoanState.OUT
