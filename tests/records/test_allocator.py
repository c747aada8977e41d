"""Archive numbers (R4): templates, concurrency, never reused, manual numbers, years."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from dossier.records.allocator import (
    DEFAULT_PATTERN,
    parse_pattern,
    positional_pattern,
)
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import (
    ArchiveClass,
    Case,
    CaseStatus,
    NumberSequence,
    NumberTemplate,
    SchemeVersion,
)
from dossier.records.services import (
    CaseDraft,
    IntakeInput,
    case_file,
    case_restore,
    case_trash,
    cases_file_batch,
)
from tests.records.conftest import FileCase, run_together

pytestmark = pytest.mark.django_db


def test_source_notation_becomes_the_default_pattern() -> None:
    assert positional_pattern("A1A2-B1B2C1C2D1-E1E2") == (
        "{dept:2}-{major:2}{minor:2}{volume:1}-{item:2}"
    )
    assert DEFAULT_PATTERN == "{dept:2}-{major:2}{minor:2}{volume:1}-{item:2}"


@pytest.mark.parametrize(
    "pattern", ["{dept:2}-{volume:1}", "{dept}-{item}", "{dept}-{colour}-{item:2}"]
)
def test_a_pattern_without_a_fixed_item_or_with_unknown_fields_is_refused(
    pattern: str,
) -> None:
    with pytest.raises(RecordsError) as refused:
        parse_pattern(pattern)

    assert refused.value.code == RecordsErrorCode.BAD_TEMPLATE


def test_default_template_numbers_department_major_minor_volume_item(
    file_case: FileCase,
) -> None:
    first = file_case(title="甲")
    second = file_case(title="乙")

    assert first.case.archive_number == "01-02031-01"
    assert second.case.archive_number == "01-02031-02"
    assert second.case.folder == first.case.folder
    assert first.case.folder.volume == 1


def test_a_full_folder_opens_the_next_volume_and_numbers_restart(
    file_case: FileCase, minor: ArchiveClass
) -> None:
    minor.folder_capacity = 2
    minor.save()

    numbers = [file_case(title=f"第{n}件").case for n in range(1, 4)]

    assert [c.archive_number for c in numbers] == [
        "01-02031-01",
        "01-02031-02",
        "01-02032-01",
    ]
    assert numbers[2].folder.volume == 2
    assert numbers[2].folder != numbers[1].folder


def test_a_case_that_belongs_to_an_earlier_case_takes_its_number(
    file_case: FileCase,
) -> None:
    earlier = file_case(title="采购合同").case

    later = file_case(title="采购合同补充协议", belongs_to=earlier).case
    after = file_case(title="下一份合同").case

    assert later.archive_number == earlier.archive_number == "01-02031-01"
    assert later.belongs_to == earlier
    assert after.archive_number == "01-02031-02"


@pytest.mark.django_db(transaction=True)
def test_twenty_cases_filed_at_the_same_moment_get_twenty_consecutive_numbers(
    shared_database: None, archivist: User, minor: ArchiveClass
) -> None:
    def work(index: int) -> str:
        result = case_file(
            actor=archivist,
            draft=CaseDraft(
                archive_class=ArchiveClass.objects.get(pk=minor.pk),
                title=f"并发归档 {index}",
                department="采购部",
                doc_date=date(2025, 6, 1),
            ),
            intake=IntakeInput(),
        )
        return result.case.archive_number

    results = run_together(20, work)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(results) == [f"01-02031-{n:02d}" for n in range(1, 21)]
    assert Case.objects.filter(archive_class=minor).count() == 20
    assert NumberSequence.objects.get().last_item == 20
    if connection.vendor == "sqlite":
        assert "mode=memory" not in str(connection.settings_dict["NAME"])


class TestNeverReused:
    """0001–0010 in a class, 0005 in the trash and 0009 destroyed."""

    @pytest.fixture
    def cases(
        self, dat22: NumberTemplate, file_case: FileCase, archivist: User
    ) -> list[Case]:
        cases = [file_case(title=f"合同{n}").case for n in range(1, 11)]
        case_trash(actor=archivist, case=cases[4])
        Case.objects.filter(pk=cases[8].pk).update(
            status=CaseStatus.DESTROYED, destroyed_at=date(2025, 7, 1)
        )
        return cases

    def test_the_numbers_follow_the_dat22_preset(self, cases: list[Case]) -> None:
        assert cases[0].archive_number == "Z001-WS·2025-D10-01-0001"
        assert cases[9].archive_number == "Z001-WS·2025-D10-01-0010"

    def test_a_new_case_gets_0011(self, cases: list[Case], file_case: FileCase) -> None:
        new = file_case(title="新合同").case

        assert new.archive_number == "Z001-WS·2025-D10-01-0011"

    def test_giving_0005_by_hand_is_refused_naming_the_case_that_holds_it(
        self, cases: list[Case], file_case: FileCase
    ) -> None:
        with pytest.raises(RecordsError) as refused:
            file_case(title="另一份合同", item=5)

        assert refused.value.code == RecordsErrorCode.NUMBER_TAKEN
        assert refused.value.message == (
            f"档号 Z001-WS·2025-D10-01-0005 已由案件《合同5》（#{cases[4].pk}，"
            "回收站）使用，不能再编给其他案件"
        )
        assert not Case.objects.filter(title="另一份合同").exists()

    def test_giving_the_destroyed_0009_by_hand_is_refused(
        self, cases: list[Case], file_case: FileCase
    ) -> None:
        with pytest.raises(RecordsError, match=r"《合同9》.*已销毁"):
            file_case(title="另一份合同", item=9)

    def test_restoring_0005_keeps_0005(
        self, cases: list[Case], archivist: User
    ) -> None:
        restored = case_restore(actor=archivist, case=cases[4])

        assert restored.status == CaseStatus.FILED
        assert restored.archive_number == "Z001-WS·2025-D10-01-0005"

    def test_a_batch_with_the_taken_0003_files_the_clean_case_and_reports_the_other(
        self, cases: list[Case], archivist: User, minor: ArchiveClass
    ) -> None:
        def draft(title: str, item: int | None) -> tuple[CaseDraft, IntakeInput]:
            return (
                CaseDraft(
                    archive_class=minor,
                    title=title,
                    department="采购部",
                    doc_date=date(2025, 6, 1),
                    retention_years=10,
                    item=item,
                ),
                IntakeInput(),
            )

        result = cases_file_batch(
            actor=archivist, items=[draft("干净的一件", None), draft("撞号的一件", 3)]
        )

        assert [f.case.archive_number for f in result.filed] == [
            "Z001-WS·2025-D10-01-0011"
        ]
        assert result.refused == [
            (
                2,
                f"档号 Z001-WS·2025-D10-01-0003 已由案件《合同3》（#{cases[2].pk}，"
                "已归档）使用，不能再编给其他案件",
            )
        ]
        assert not Case.objects.filter(title="撞号的一件").exists()

    def test_a_free_number_given_by_hand_is_stepped_over_later(
        self, cases: list[Case], file_case: FileCase
    ) -> None:
        manual = file_case(title="手编", item=12).case
        next_two = [file_case(title=f"自动{n}").case.archive_number for n in (1, 2)]

        assert manual.archive_number == "Z001-WS·2025-D10-01-0012"
        assert next_two == ["Z001-WS·2025-D10-01-0013", "Z001-WS·2025-D10-01-0014"]


class TestYearFromTheDocument:
    def test_a_document_of_new_years_day_filed_at_0030_beijing_gets_the_first_2026_number(
        self,
        dat22: NumberTemplate,
        file_case: FileCase,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        file_case(title="2025 年的文件", doc_date=date(2025, 12, 31))
        filed_at = datetime(2025, 12, 31, 16, 30, tzinfo=UTC)  # 00:30 in Beijing
        monkeypatch.setattr(timezone, "now", lambda: filed_at)

        dated = file_case(title="元旦的文件", doc_date=date(2026, 1, 1)).case
        undated = file_case(title="未写日期的文件", doc_date=None).case

        assert dated.archive_number == "Z001-WS·2026-D10-01-0001"
        assert undated.doc_date == date(2026, 1, 1)
        assert undated.archive_number == "Z001-WS·2026-D10-01-0002"

    def test_a_document_of_2025_12_30_filed_in_january_continues_2025(
        self,
        dat22: NumberTemplate,
        file_case: FileCase,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        file_case(title="十二月一", doc_date=date(2025, 12, 1))
        file_case(title="十二月二", doc_date=date(2025, 12, 2))
        monkeypatch.setattr(
            timezone, "now", lambda: datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
        )
        file_case(title="一月的文件", doc_date=date(2026, 1, 4))

        late = file_case(title="年底的文件", doc_date=date(2025, 12, 30)).case

        assert late.archive_number == "Z001-WS·2025-D10-01-0003"

    def test_periods_form_separate_sequences(
        self, dat22: NumberTemplate, file_case: FileCase
    ) -> None:
        ten = file_case(title="十年", retention_years=10).case
        permanent = file_case(title="永久", retention_years=None).case

        assert ten.archive_number == "Z001-WS·2025-D10-01-0001"
        assert permanent.archive_number == "Z001-WS·2025-Y-01-0001"


class TestRunningOut:
    """The default template holds 9 volumes of at most 99 items."""

    @pytest.fixture
    def almost_full(self, minor: ArchiveClass, file_case: FileCase) -> ArchiveClass:
        minor.folder_capacity = 99
        minor.save()
        file_case(title="第一件")
        NumberSequence.objects.update(volume=9, in_volume=88, last_item=88)
        return minor

    def test_no_warning_while_plenty_is_left(self, file_case: FileCase) -> None:
        assert file_case(title="第二件").warnings == []

    def test_the_last_volume_warns_before_it_runs_out(
        self, almost_full: ArchiveClass, file_case: FileCase
    ) -> None:
        quiet = file_case(title="第 89 件")
        warned = file_case(title="第 90 件")

        assert quiet.case.archive_number == "01-02039-89"
        assert quiet.warnings == []
        assert warned.case.archive_number == "01-02039-90"
        assert warned.warnings == [
            "“01-0203 供应商合同”的档号即将用尽：只剩 9 个号"
            "（档号格式“档号（部门-大类小类卷次-目次）”：最多 9 卷、每卷 99 件）。"
            "请及时启用新的类别，或修订档号格式，加宽卷次或目次的位数。"
        ]
        assert "{" not in warned.warnings[0]

    def test_when_it_has_run_out_filing_is_refused_without_a_case(
        self, almost_full: ArchiveClass, file_case: FileCase
    ) -> None:
        NumberSequence.objects.update(in_volume=99, last_item=99)

        with pytest.raises(RecordsError) as refused:
            file_case(title="第 892 件")

        assert refused.value.code == RecordsErrorCode.NUMBERS_EXHAUSTED
        assert refused.value.message == (
            "“01-0203 供应商合同”的档号已用尽（最多 9 卷、每卷 99 件），不能再归档。"
            "请启用新的类别，或修订档号格式“档号（部门-大类小类卷次-目次）”，"
            "加宽卷次或目次的位数。"
        )
        assert not Case.objects.filter(title="第 892 件").exists()

    def test_a_folder_larger_than_the_item_digits_is_refused(
        self, minor: ArchiveClass, file_case: FileCase
    ) -> None:
        minor.folder_capacity = 120
        minor.save()

        with pytest.raises(RecordsError, match="每卷 120 件超出档号目次位数"):
            file_case(title="大档夹")


class TestManualItemAndFolderCapacity:
    """A number given by hand must fit the folder it goes into."""

    def test_an_item_beyond_the_folder_capacity_is_refused(
        self, minor: ArchiveClass, file_case: FileCase
    ) -> None:
        # given folders of 10 items
        minor.folder_capacity = 10
        minor.save()

        # when item 11 is given by hand
        with pytest.raises(RecordsError) as refused:
            file_case(title="超出容量", item=11)

        # then it is refused naming the capacity, and nothing is filed
        assert refused.value.field == "item"
        assert refused.value.message == (
            "目次 11 超出档夹容量：每卷 10 件，第 1 卷的目次须在 1 到 10 之间"
        )
        assert not Case.objects.filter(title="超出容量").exists()

    def test_an_item_within_the_capacity_is_taken(
        self, minor: ArchiveClass, file_case: FileCase
    ) -> None:
        minor.folder_capacity = 10
        minor.save()

        filed = file_case(title="手工目次", item=10).case

        assert filed.archive_number == "01-02031-10"
        assert NumberSequence.objects.get().in_volume == 10

    def test_a_full_folder_takes_no_item_by_hand_without_a_volume_field(
        self, dat22: NumberTemplate, minor: ArchiveClass, file_case: FileCase
    ) -> None:
        # given a DA/T 22 sequence (no volume in the number) with two-case folders
        minor.folder_capacity = 2
        minor.save()
        file_case(title="甲")
        file_case(title="乙")

        with pytest.raises(RecordsError) as refused:
            file_case(title="丙", item=7)

        assert refused.value.message == (
            "第 1 卷已满（2/2 件），不能再手工编入；请不填目次，由系统编入下一卷"
        )


def test_a_case_that_belongs_to_an_earlier_case_joins_its_class_and_folder(
    file_case: FileCase, scheme: SchemeVersion
) -> None:
    # given a contract filed under 01-0203
    earlier = file_case(title="采购合同").case

    # when its supplement is filed naming another class
    later = file_case(
        title="采购合同补充协议",
        archive_class=scheme.classes.get(full_code="01-0204"),
        belongs_to=earlier,
    ).case

    # then it joins the contract whole, so the number keeps its meaning
    assert (later.archive_number, later.archive_class, later.folder) == (
        earlier.archive_number,
        earlier.archive_class,
        earlier.folder,
    )


def test_a_case_with_later_papers_goes_to_the_trash_only_after_them(
    file_case: FileCase, archivist: User
) -> None:
    earlier = file_case(title="采购合同").case
    later = file_case(title="补充协议", belongs_to=earlier).case

    with pytest.raises(RecordsError) as refused:
        case_trash(actor=archivist, case=earlier)
    case_trash(actor=archivist, case=later)
    trashed = case_trash(actor=archivist, case=earlier)

    assert refused.value.message == "有 1 件后续文件沿用本档号，请先将它们移入回收站"
    assert trashed.status == CaseStatus.TRASHED
