"""Intake (R1) and retention (R5)."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from dossier.core.models import Property
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import ArchiveClass, CaseStatus, ReturnSlip
from dossier.records.retention import (
    PRESETS,
    accounting_preset,
    retention_due,
    schedule_from_preset,
    schedule_warnings,
)
from dossier.records.services import (
    CaseDraft,
    IntakeInput,
    case_file,
    case_refile,
    original_return,
    retention_item_set,
)
from tests.records.conftest import FileCase

pytestmark = pytest.mark.django_db

ACCOUNTING = Path("/work/shared/data/archives/accounting_retention_2015_enterprise.csv")


class TestIntake:
    def test_a_complete_case_is_filed_with_no_slip(self, file_case: FileCase) -> None:
        result = file_case()

        assert result.case.status == CaseStatus.FILED
        assert result.slip is None
        assert result.case.checks.get().passed is True

    def test_a_failed_check_returns_the_case_with_a_slip_and_no_number(
        self, archivist: User, minor: ArchiveClass, file_case: FileCase
    ) -> None:
        draft = CaseDraft(
            archive_class=minor, title="缺附件的合同", department="采购部"
        )
        intake = IntakeInput(
            attachments_complete=False, parts_removed=True, removal_signed_by_head=True
        )

        result = case_file(actor=archivist, draft=draft, intake=intake)

        assert result.case.status == CaseStatus.RETURNED
        assert result.case.archive_number == ""
        assert result.slip is not None
        assert (result.slip.department, result.slip.reasons) == (
            "采购部",
            [
                "附件短少，请追查归入",
                "文件有抽存，须经客户服务中心部门主管及档案专管签认",
            ],
        )
        assert file_case(title="下一件").case.archive_number == "01-02031-01"

    def test_a_returned_case_put_right_is_filed_and_its_slip_resolved(
        self, archivist: User, minor: ArchiveClass
    ) -> None:
        draft = CaseDraft(archive_class=minor, title="手续不全", department="销售部")
        returned = case_file(
            actor=archivist, draft=draft, intake=IntakeInput(formalities_complete=False)
        ).case

        result = case_refile(actor=archivist, case=returned, intake=IntakeInput())

        assert result.case.status == CaseStatus.FILED
        assert result.case.archive_number == "01-02031-01"
        assert ReturnSlip.objects.get(case=returned).resolved_at is not None

    def test_an_original_kept_by_the_department_needs_approval_and_leaves_a_copy(
        self, file_case: FileCase, manager: User, archivist: User
    ) -> None:
        with pytest.raises(RecordsError) as refused:
            file_case(original_holder="工程部", original_approved_by=archivist)
        assert refused.value.code == RecordsErrorCode.NOT_APPROVED

        case = file_case(original_holder="工程部", original_approved_by=manager).case
        assert (case.copy_only, case.original_holder) == (True, "工程部")

        back = original_return(actor=archivist, case=case)
        assert back.copy_only is False
        assert back.original_returned_at is not None


def test_unrelated_documents_get_a_slip_but_the_case_is_filed(
    archivist: User, minor: ArchiveClass
) -> None:
    draft = CaseDraft(archive_class=minor, title="合同", department="采购部")

    result = case_file(
        actor=archivist,
        draft=draft,
        intake=IntakeInput(unrelated_documents="会议通知一份"),
    )

    assert result.case.status == CaseStatus.FILED
    assert result.slip is not None
    assert result.slip.reasons == ["与本案无关、退回的文件：会议通知一份"]


class TestRetention:
    @pytest.mark.parametrize(
        ("doc_date", "years", "due"),
        [
            (date(2015, 3, 10), 30, date(2046, 1, 1)),
            (date(2016, 2, 29), 10, date(2027, 1, 1)),
            (date(2025, 12, 31), 1, date(2027, 1, 1)),
            (date(2025, 1, 1), None, None),
        ],
    )
    def test_periods_count_from_1_january_after_the_documents_year(
        self, doc_date: date, years: int | None, due: date | None
    ) -> None:
        assert retention_due(doc_date, years) == due

    def test_a_filed_case_carries_its_due_date(self, file_case: FileCase) -> None:
        case = file_case(doc_date=date(2015, 3, 10), retention_years=30).case

        assert case.due_date == date(2046, 1, 1)

    def test_the_source_default_has_its_four_periods_and_flags_vouchers(
        self, prop: Property
    ) -> None:
        name, items = PRESETS["source"]
        schedule = schedule_from_preset(
            prop=prop, name=name, preset="source", items=items
        )

        periods = sorted({i.years or 0 for i in schedule.items.all()})
        assert periods == [0, 1, 5, 10]
        assert schedule_warnings(schedule) == ["“会计凭证”定为10年，低于法定最低30年"]

    def test_the_enterprise_preset_is_permanent_30_and_10(self, prop: Property) -> None:
        name, items = PRESETS["enterprise"]
        schedule = schedule_from_preset(
            prop=prop, name=name, preset="enterprise", items=items
        )

        assert [i.years for i in schedule.items.all()] == [None, 30, 10]
        assert schedule_warnings(schedule) == []

    def test_the_accounting_table_loads_all_16_items(self, prop: Property) -> None:
        schedule = schedule_from_preset(
            prop=prop,
            name="会计档案",
            preset="accounting",
            items=accounting_preset(ACCOUNTING),
        )

        items = {i.record_type: i for i in schedule.items.all()}
        assert len(items) == 16
        assert (items["原始凭证"].years, items["原始凭证"].minimum_years) == (30, 30)
        assert items["年度财务会计报告"].years is None
        assert items["年度财务会计报告"].minimum_permanent is True
        assert items["固定资产卡片"].note.startswith("固定资产报废清理后保管5年")

    def test_lowering_a_period_below_the_legal_minimum_warns(
        self, prop: Property, archivist: User
    ) -> None:
        schedule = schedule_from_preset(
            prop=prop,
            name="会计档案",
            preset="accounting",
            items=accounting_preset(ACCOUNTING),
        )
        voucher = schedule.items.get(record_type="记账凭证")
        annual = schedule.items.get(record_type="年度财务会计报告")

        _, warning = retention_item_set(actor=archivist, item=voucher, years=15)
        _, permanent = retention_item_set(actor=archivist, item=annual, years=10)
        _, fine = retention_item_set(actor=archivist, item=voucher, years=40)

        assert warning == "“记账凭证”定为15年，低于法定最低30年"
        assert permanent == "“年度财务会计报告”依法须永久保存，不得定为10年"
        assert fine == ""

    def test_filing_with_a_schedule_line_takes_its_period(
        self, prop: Property, file_case: FileCase
    ) -> None:
        schedule = schedule_from_preset(
            prop=prop,
            name="会计档案",
            preset="accounting",
            items=accounting_preset(ACCOUNTING),
        )
        line = schedule.items.get(record_type="原始凭证")

        case = file_case(doc_date=date(2015, 3, 10), retention_item=line).case

        assert (case.retention_years, case.due_date) == (30, date(2046, 1, 1))
