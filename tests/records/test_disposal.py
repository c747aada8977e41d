"""Holds and disposal (R6)."""

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from pypdf import PdfReader

from dossier.core.models import AuditEvent, Property
from dossier.records import printing
from dossier.records.disposal import (
    entry_keep_part,
    exclusion_reason,
    register_approve,
    register_execute,
    register_propose,
)
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import (
    Case,
    CaseStatus,
    DestructionRegister,
    RegisterStatus,
)
from dossier.records.services import hold_place, hold_release
from tests.records.conftest import FileCase, lend

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_cases(file_case: FileCase) -> dict[str, Case]:
    """Four cases of 2020 kept 1 year (due 2022-01-01) and one still kept."""
    made = {
        name: file_case(
            title=name, doc_date=date(2020, 5, 1), retention_years=1, summary="正文摘要"
        ).case
        for name in ("到期甲", "到期乙", "借出中", "保全中")
    }
    made["未到期"] = file_case(title="未到期", doc_date=date(2025, 5, 1)).case
    return made


@pytest.fixture
def register(
    due_cases: dict[str, Case], archivist: User, manager: User, prop: Property
) -> DestructionRegister:
    lend(
        actor=archivist,
        case=due_cases["借出中"],
        borrower=archivist,
        due_date=prop.today() + timedelta(days=7),
        approved_by=manager,
    )
    hold_place(
        actor=archivist,
        case=due_cases["保全中"],
        authority="审计署驻沪特派办",
        reason="2020 年度专项审计",
    )
    return register_propose(actor=archivist, prop=prop, as_of=date(2026, 1, 1))


def test_the_register_lists_due_cases_and_the_excluded_with_the_reason(
    register: DestructionRegister, prop: Property
) -> None:
    rows = [
        (e.case.title, e.excluded_reason)
        for e in register.entries.order_by("case__title")
    ]

    assert sorted(rows) == sorted(
        [
            ("到期甲", ""),
            ("到期乙", ""),
            (
                "借出中",
                f"借出中：archivist，应还 {prop.today() + timedelta(days=7):%Y-%m-%d}",
            ),
            ("保全中", "保全中：审计署驻沪特派办，2020 年度专项审计"),
        ]
    )
    assert register.status == RegisterStatus.PENDING


def test_nothing_is_destroyed_before_the_general_manager_approves(
    register: DestructionRegister, archivist: User
) -> None:
    with pytest.raises(RecordsError) as not_approved:
        register_execute(
            actor=archivist,
            register=register,
            confirmation=str(register.pk),
            witnesses="王监",
        )
    with pytest.raises(RecordsError) as not_allowed:
        register_approve(actor=archivist, register=register)

    assert not_approved.value.code == RecordsErrorCode.NOT_APPROVED
    assert not_allowed.value.code == RecordsErrorCode.NOT_PERMITTED
    assert not Case.objects.filter(status=CaseStatus.DESTROYED).exists()
    register.refresh_from_db()
    assert register.status == RegisterStatus.PENDING


@pytest.mark.parametrize("typed", ["{pk}", " #{pk} ", "{wide}", "＃{wide}"])
def test_the_register_number_may_be_typed_back_at_either_width(
    register: DestructionRegister,
    archivist: User,
    manager: User,
    due_cases: dict[str, Case],
    typed: str,
) -> None:
    # given an approved register, its number typed back as a Chinese input method
    # may give it, in full-width digits
    register_approve(actor=manager, register=register, reported_to="区档案局")
    wide = "".join(chr(ord(digit) + 0xFEE0) for digit in str(register.pk))

    # when it is executed
    destroyed = register_execute(
        actor=archivist,
        register=register,
        confirmation=typed.format(pk=register.pk, wide=wide),
        witnesses="王监",
    )

    # then the cases due are destroyed
    assert destroyed == 2


def test_approved_destruction_clears_content_and_dates_the_catalogue(
    register: DestructionRegister,
    archivist: User,
    manager: User,
    due_cases: dict[str, Case],
) -> None:
    register_approve(actor=manager, register=register, reported_to="区档案局")

    destroyed = register_execute(
        actor=archivist,
        register=register,
        confirmation=str(register.pk),
        witnesses="王监",
    )

    assert destroyed == 2
    gone = Case.objects.get(pk=due_cases["到期甲"].pk)
    today = gone.property.today()
    assert (gone.status, gone.destroyed_at, gone.summary) == (
        CaseStatus.DESTROYED,
        today,
        "",
    )
    assert gone.archive_number == due_cases["到期甲"].archive_number
    kept = Case.objects.get(pk=due_cases["保全中"].pk)
    assert (kept.status, kept.summary) == (CaseStatus.FILED, "正文摘要")
    register.refresh_from_db()
    assert (register.status, register.reported_to) == (
        RegisterStatus.EXECUTED,
        "区档案局",
    )


def test_partial_destruction_keeps_the_rest_with_a_note(
    register: DestructionRegister,
    archivist: User,
    manager: User,
    due_cases: dict[str, Case],
) -> None:
    entry = register.entries.get(case=due_cases["到期乙"])
    entry_keep_part(
        actor=archivist, entry=entry, kept_note="收(发)文登记单第五联及签字页"
    )
    register_approve(actor=manager, register=register)

    register_execute(
        actor=archivist,
        register=register,
        confirmation=str(register.pk),
        witnesses="王监",
    )

    case = Case.objects.get(pk=due_cases["到期乙"].pk)
    assert case.status == CaseStatus.PARTLY_DESTROYED
    assert case.summary == "正文摘要"
    assert case.destruction_note == (
        f"{case.property.today():%Y-%m-%d} 部分销毁（清册第 {register.pk} 号）；"
        "保留：收(发)文登记单第五联及签字页"
    )


def test_a_hold_placed_after_approval_still_stops_destruction(
    register: DestructionRegister,
    archivist: User,
    manager: User,
    due_cases: dict[str, Case],
) -> None:
    register_approve(actor=manager, register=register)
    hold_place(actor=manager, case=due_cases["到期甲"], authority="法院", reason="诉讼")

    assert (
        register_execute(
            actor=archivist,
            register=register,
            confirmation=str(register.pk),
            witnesses="王监",
        )
        == 1
    )
    assert Case.objects.get(pk=due_cases["到期甲"].pk).status == CaseStatus.FILED
    assert register.entries.get(case=due_cases["到期甲"]).excluded_reason == (
        "销毁时排除：保全中：法院，诉讼"
    )


def test_releasing_a_hold_is_audited(
    due_cases: dict[str, Case], archivist: User, manager: User
) -> None:
    hold = hold_place(
        actor=archivist, case=due_cases["到期甲"], authority="法院", reason="诉讼"
    )

    hold_release(actor=manager, hold=hold, reason="判决生效，诉讼终结")

    event = AuditEvent.objects.get(action="records.hold_released")
    assert (event.actor, event.object_id, event.detail["reason"]) == (
        manager,
        str(due_cases["到期甲"].pk),
        "判决生效，诉讼终结",
    )
    with pytest.raises(RecordsError, match="该保全已解除"):
        hold_release(actor=manager, hold=hold, reason="再解除一次")


def test_the_register_is_kept_forever(register: DestructionRegister) -> None:
    with pytest.raises(ValueError, match="kept forever"):
        register.delete()


def test_a_case_already_on_an_open_register_is_not_proposed_twice(
    register: DestructionRegister, archivist: User, prop: Property
) -> None:
    with pytest.raises(RecordsError) as refused:
        register_propose(actor=archivist, prop=prop, as_of=date(2026, 1, 1))

    assert refused.value.code == RecordsErrorCode.NOTHING_DUE
    assert refused.value.message == (
        "截至 2026-01-01 没有保管期满、尚未列入清册的案件，未编制清册"
    )
    assert DestructionRegister.objects.count() == 1


def test_a_register_is_not_drawn_up_when_nothing_is_due(
    archivist: User, prop: Property, file_case: FileCase
) -> None:
    # given only a case far from its due date
    file_case(title="新合同", doc_date=date(2025, 6, 1), retention_years=10)

    with pytest.raises(RecordsError) as refused:
        register_propose(actor=archivist, prop=prop, as_of=date(2026, 1, 1))

    assert refused.value.code == RecordsErrorCode.NOTHING_DUE
    assert not DestructionRegister.objects.exists()


def test_a_register_of_only_held_cases_is_not_drawn_up(
    archivist: User, prop: Property, file_case: FileCase
) -> None:
    held = file_case(title="涉诉", doc_date=date(2010, 1, 5), retention_years=1).case
    hold_place(actor=archivist, case=held, authority="区法院", reason="诉讼未结")

    with pytest.raises(RecordsError) as refused:
        register_propose(actor=archivist, prop=prop, as_of=date(2026, 1, 1))

    assert refused.value.message == (
        "截至 2026-01-01 期满的 1 件案件都在借出或保全中，没有可销毁的案件，未编制清册"
    )
    assert not DestructionRegister.objects.exists()


def test_executing_an_executed_register_again_says_it_was_done(
    register: DestructionRegister, archivist: User, manager: User
) -> None:
    register_approve(actor=manager, register=register)
    register_execute(
        actor=archivist,
        register=register,
        confirmation=str(register.pk),
        witnesses="王监",
    )
    register.refresh_from_db()
    done = register.executed_at.astimezone(register.property.zone)

    with pytest.raises(RecordsError) as refused:
        register_execute(
            actor=archivist,
            register=register,
            confirmation=str(register.pk),
            witnesses="王监",
        )

    assert refused.value.code == RecordsErrorCode.WRONG_STATUS
    assert refused.value.message == (
        f"清册第 {register.pk} 号已于 {done:%Y-%m-%d} 执行销毁，不能重复执行"
    )


def test_partial_destruction_says_what_went_and_what_stayed(
    register: DestructionRegister,
    archivist: User,
    manager: User,
    due_cases: dict[str, Case],
) -> None:
    # given a case of the register marked for destruction in part
    case = due_cases["到期乙"]
    number, folder, item = case.archive_number, case.folder_id, case.item
    entry = register.entries.get(case=case)
    entry_keep_part(
        actor=archivist,
        entry=entry,
        destroyed_part="报价单草稿三份",
        kept_note="合同正本",
    )
    register_approve(actor=manager, register=register)

    # when the register is carried out
    register_execute(
        actor=archivist,
        register=register,
        confirmation=str(register.pk),
        witnesses="王监",
    )

    # then the case keeps its number, folder, item and summary, noting both parts
    kept = Case.objects.get(pk=case.pk)
    assert (kept.archive_number, kept.folder_id, kept.item) == (number, folder, item)
    assert kept.status == CaseStatus.PARTLY_DESTROYED
    assert kept.summary == "正文摘要"
    assert kept.destruction_note == (
        f"{kept.property.today():%Y-%m-%d} 部分销毁（清册第 {register.pk} 号）；"
        "销毁：报价单草稿三份；保留：合同正本"
    )


def test_a_destroyed_part_without_what_is_kept_is_refused(
    register: DestructionRegister, archivist: User, due_cases: dict[str, Case]
) -> None:
    entry = register.entries.get(case=due_cases["到期乙"])

    with pytest.raises(RecordsError) as refused:
        entry_keep_part(
            actor=archivist, entry=entry, destroyed_part="草稿", kept_note=" "
        )

    assert refused.value.field == "kept_note"
    entry.refresh_from_db()
    assert (entry.kept_note, entry.destroyed_part) == ("", "")


def test_an_approved_register_can_no_longer_be_changed(
    register: DestructionRegister,
    archivist: User,
    manager: User,
    due_cases: dict[str, Case],
) -> None:
    register_approve(actor=manager, register=register)
    entry = register.entries.get(case=due_cases["到期乙"])

    with pytest.raises(RecordsError, match="已批准，不能再修改"):
        entry_keep_part(actor=archivist, entry=entry, kept_note="签字页")


class TestYearly:
    """On 1 January the daily run draws up the register of the cases due."""

    def test_the_daily_run_of_new_years_day_draws_up_the_register_once(
        self, due_cases: dict[str, Case]
    ) -> None:
        from dossier.care.daily import run_daily

        # when the run of 2027-01-01 goes, twice, and the next day's
        run_daily(today=date(2027, 1, 1), jobs=["records.disposal"])
        run_daily(today=date(2027, 1, 1), jobs=["records.disposal"])
        run_daily(today=date(2027, 1, 2), jobs=["records.disposal"])

        # then one pending register lists the four cases due, drawn up by the run
        register = DestructionRegister.objects.get()
        assert (register.as_of, register.status, register.proposed_by) == (
            date(2027, 1, 1),
            RegisterStatus.PENDING,
            None,
        )
        assert sorted(register.entries.values_list("case__title", flat=True)) == sorted(
            ["到期甲", "到期乙", "借出中", "保全中"]
        )

    def test_a_pending_register_stays_pending_across_the_years(
        self,
        due_cases: dict[str, Case],
        file_case: FileCase,
        archivist: User,
        manager: User,
    ) -> None:
        from dossier.care.daily import run_daily

        # given the register of 2027, never approved, and a case due from 2029
        run_daily(today=date(2027, 1, 1), jobs=["records.disposal"])
        first = DestructionRegister.objects.get()
        later = file_case(title="后到期", doc_date=date(2023, 3, 1), retention_years=5)

        # when the runs of 2028 and 2029 go
        run_daily(today=date(2028, 1, 1), jobs=["records.disposal"])
        run_daily(today=date(2029, 1, 1), jobs=["records.disposal"])

        # then the first register is untouched, still pending, and nothing is destroyed
        first.refresh_from_db()
        assert (first.status, first.approved_at, first.executed_at) == (
            RegisterStatus.PENDING,
            None,
            None,
        )
        assert not Case.objects.filter(destroyed_at__isnull=False).exists()
        # and the later register holds only the case that became due
        second = DestructionRegister.objects.exclude(pk=first.pk).get()
        assert [e.case_id for e in second.entries.all()] == [later.case.pk]
        # and the first can still be approved and carried out when the manager decides
        register_approve(actor=manager, register=first)
        assert (
            register_execute(
                actor=archivist,
                register=first,
                confirmation=str(first.pk),
                witnesses="王监",
            )
            == 4
        )

    def test_the_job_runs_only_on_new_years_day(self) -> None:
        from dossier.care.jobs import JOBS

        schedule = JOBS["records.disposal"].schedule
        assert [schedule(date(2027, m, d)) for m, d in ((1, 1), (1, 2), (12, 31))] == [
            True,
            False,
            False,
        ]


class TestFollowers:
    """Papers filed later under a case's number go with it."""

    @pytest.fixture
    def earlier(self, file_case: FileCase) -> Case:
        case = file_case(
            title="2020 采购合同", doc_date=date(2020, 5, 1), retention_years=1
        ).case
        file_case(
            title="补充协议",
            doc_date=date(2020, 9, 1),
            summary="补充条款",
            belongs_to=case,
        )
        return case

    def test_a_destroyed_case_takes_its_followers_with_it(
        self, earlier: Case, archivist: User, manager: User, prop: Property
    ) -> None:
        register = register_propose(actor=archivist, prop=prop, as_of=date(2026, 1, 1))
        register_approve(actor=manager, register=register)

        register_execute(
            actor=archivist,
            register=register,
            confirmation=str(register.pk),
            witnesses="王监",
        )

        follower = Case.objects.get(title="补充协议")
        today = prop.today()
        assert [e.case_id for e in register.entries.all()] == [earlier.pk]
        assert (follower.status, follower.summary, follower.destroyed_at) == (
            CaseStatus.DESTROYED,
            "",
            today,
        )
        assert follower.destruction_note == (
            f"{today:%Y-%m-%d} 随前案 01-02031-01 销毁（清册第 {register.pk} 号）"
        )

    def test_a_follower_on_loan_keeps_the_whole_case(
        self, earlier: Case, archivist: User, manager: User, prop: Property
    ) -> None:
        due = prop.today() + timedelta(days=3)
        lend(
            actor=archivist,
            case=Case.objects.get(title="补充协议"),
            borrower=archivist,
            due_date=due,
            approved_by=manager,
        )

        with pytest.raises(RecordsError) as refused:
            register_propose(actor=archivist, prop=prop, as_of=date(2026, 1, 1))

        assert refused.value.code == RecordsErrorCode.NOTHING_DUE
        assert not Case.objects.filter(status=CaseStatus.DESTROYED).exists()
        assert exclusion_reason(earlier) == (f"借出中：archivist，应还 {due:%Y-%m-%d}")


class TestExecutionIsConfirmedAndWitnessed:
    """Destruction is irreversible: confirmed by the register's number, witnessed,
    and the executor and witnesses recorded on the register, its PDF and the log."""

    @pytest.fixture
    def approved(
        self, register: DestructionRegister, manager: User
    ) -> DestructionRegister:
        return register_approve(actor=manager, register=register)

    @pytest.mark.parametrize(
        ("confirmation", "witnesses", "field"),
        [
            ("", "王监", "confirmation"),
            ("999", "王监", "confirmation"),
            ("{pk}", "  ", "witnesses"),
            ("{pk}", "archivist", "witnesses"),
            ("{pk}", "、".join(["王监李审"] * 41), "witnesses"),
        ],
    )
    def test_without_confirmation_or_witness_nothing_is_destroyed(
        self,
        approved: DestructionRegister,
        archivist: User,
        confirmation: str,
        witnesses: str,
        field: str,
    ) -> None:
        with pytest.raises(RecordsError) as refused:
            register_execute(
                actor=archivist,
                register=approved,
                confirmation=confirmation.format(pk=approved.pk),
                witnesses=witnesses,
            )

        assert refused.value.field == field
        approved.refresh_from_db()
        assert approved.status == RegisterStatus.APPROVED
        assert not Case.objects.filter(destroyed_at__isnull=False).exists()

    def test_the_executor_and_witnesses_are_recorded_and_audited(
        self, approved: DestructionRegister, archivist: User, prop: Property
    ) -> None:
        register_execute(
            actor=archivist,
            register=approved,
            confirmation=f"#{approved.pk}",
            witnesses="王监, 李审",
        )

        approved.refresh_from_db()
        assert (approved.executed_by, approved.witnesses) == (archivist, "王监、李审")
        event = AuditEvent.objects.get(action="records.disposal_executed")
        assert (event.actor_id, event.detail["witnesses"]) == (
            archivist.pk,
            "王监、李审",
        )
        document = printing.register(prop, approved.pk, viewer=archivist)
        assert document is not None
        reader = PdfReader(io.BytesIO(document.content))
        text = "".join(page.extract_text() for page in reader.pages)
        assert "监销人 王监、李审" in text.replace("\n", " ")
        assert "销毁执行人 archivist" in text.replace("\n", " ")


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        (
            "zh-hans",
            "销毁时排除：借出申请已批准，待出库：王五（前厅部），应还 2026-02-03；"
            "保全中：区法院，诉讼；保全",
        ),
        (
            "en",
            "Excluded at destruction: Loan request approved, awaiting release: "
            "王五 (前厅部), due 2026-02-03; On hold: 区法院, 诉讼；保全",
        ),
    ],
)
def test_an_exclusion_reason_is_read_in_the_readers_language(
    language: str, shown: str
) -> None:
    from django.utils import translation

    from dossier.records.disposal import exclusion_text

    stored = (
        "销毁时排除：借出申请已批准，待出库：王五（前厅部），应还 2026-02-03；"
        "保全中：区法院，诉讼；保全"
    )

    with translation.override(language):
        assert exclusion_text(stored) == shown
