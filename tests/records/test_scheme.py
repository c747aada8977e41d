"""Classification scheme (R2): classes, code table with gaps, versions, the sample."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from dossier.core.models import Property
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import (
    ArchiveClass,
    ClassLevel,
    MappingKind,
    RetentionItem,
    SchemeVersion,
)
from dossier.records.scheme import (
    ClassChange,
    class_add,
    scheme_load_sample,
    scheme_revise,
)
from dossier.records.selectors import code_table, mapping_table, scheme_current
from tests.records.conftest import FileCase

pytestmark = pytest.mark.django_db

SAMPLE = Path(
    "/work/shared/data/archives/enterprise_classification_scheme_sample_A.csv"
)


def test_classes_get_levels_and_full_codes(scheme: SchemeVersion) -> None:
    rows = [
        (c.level, c.full_code, c.name) for c in scheme.classes.order_by("full_code")
    ]

    assert rows == [
        (ClassLevel.DEPARTMENT, "01", "客户服务中心"),
        (ClassLevel.MAJOR, "01-02", "合同"),
        (ClassLevel.MINOR, "01-0203", "供应商合同"),
        (ClassLevel.MINOR, "01-0204", "客户合同"),
    ]


def test_the_code_table_shows_reserved_gaps(scheme: SchemeVersion) -> None:
    rows = [(r.level, r.code, r.name) for r in code_table(scheme)]

    assert rows == [
        (1, "01", "客户服务中心"),
        (2, "01", "预留"),
        (2, "02", "合同"),
        (3, "01–02", "预留"),
        (3, "03", "供应商合同"),
        (3, "04", "客户合同"),
        (3, "05–99", "预留"),
        (2, "03–99", "预留"),
        (1, "02–99", "预留"),
    ]


def test_a_detail_class_cannot_be_divided_further(
    scheme: SchemeVersion, archivist: User, minor: ArchiveClass
) -> None:
    detail = class_add(
        actor=archivist, version=scheme, parent=minor, code="01", name="采购框架协议"
    )

    assert (detail.level, detail.full_code) == (ClassLevel.DETAIL, "01-020301")
    with pytest.raises(RecordsError, match="细类之下不能再分"):
        class_add(actor=archivist, version=scheme, parent=detail, code="1", name="x")


class TestRevision:
    @pytest.fixture
    def revised(self, scheme: SchemeVersion, archivist: User) -> SchemeVersion:
        return scheme_revise(
            actor=archivist,
            version=scheme,
            name="2026 修订",
            changes=[
                ClassChange("rename", "01-0203", name="供应商及外包合同"),
                ClassChange("recode", "01-0204", code="05", note="为宴会合同让位"),
                ClassChange("add", "01-02", code="06", name="宴会合同"),
            ],
        )

    def test_a_revision_is_a_new_current_version_with_a_mapping_table(
        self, scheme: SchemeVersion, revised: SchemeVersion, prop: Property
    ) -> None:
        scheme.refresh_from_db()

        assert (scheme.is_current, revised.is_current, revised.number) == (
            False,
            True,
            2,
        )
        assert scheme_current(prop) == revised
        assert [
            (
                m.old_class.full_code if m.old_class else "",
                m.new_class.full_code if m.new_class else "",
                m.kind,
            )
            for m in mapping_table(revised)
        ] == [
            ("01", "01", MappingKind.SAME),
            ("01-02", "01-02", MappingKind.SAME),
            ("01-0203", "01-0203", MappingKind.RENAMED),
            ("01-0204", "01-0205", MappingKind.RECODED),
            ("", "01-0206", MappingKind.ADDED),
        ]

    def test_filed_numbers_keep_their_class_and_meaning(
        self, scheme: SchemeVersion, archivist: User, file_case: FileCase
    ) -> None:
        old_case = file_case(title="旧版本中的合同").case
        revised = scheme_revise(
            actor=archivist,
            version=scheme,
            name="v2",
            changes=[ClassChange("rename", "01-0203", name="供应商及外包合同")],
        )
        new_class = revised.classes.get(full_code="01-0203")

        new_case = file_case(title="新版本中的合同", archive_class=new_class).case
        old_case.refresh_from_db()

        assert old_case.archive_class.version == scheme
        assert old_case.archive_number == "01-02031-01"
        assert new_case.archive_number == "01-02031-02"

    def test_an_old_class_can_no_longer_be_filed_into(
        self, revised: SchemeVersion, file_case: FileCase
    ) -> None:
        with pytest.raises(RecordsError, match="不在现行分类方案中"):
            file_case(title="旧类别")

    def test_a_code_used_before_is_never_given_to_another_class(
        self, revised: SchemeVersion, archivist: User
    ) -> None:
        with pytest.raises(RecordsError) as refused:
            scheme_revise(
                actor=archivist,
                version=revised,
                name="v3",
                changes=[ClassChange("add", "01-02", code="04", name="别的合同")],
            )

        assert refused.value.code == RecordsErrorCode.CODE_REUSED
        assert SchemeVersion.objects.filter(number=3).count() == 0


def test_the_published_sample_loads_as_department_major_and_minor_classes(
    prop: Property, archivist: User
) -> None:
    version = scheme_load_sample(actor=archivist, prop=prop, path=SAMPLE)

    rows = [
        (c.level, c.full_code, c.name) for c in version.classes.order_by("full_code")
    ]
    assert rows == [
        (ClassLevel.DEPARTMENT, "01", "党群工作部"),
        (ClassLevel.MAJOR, "01-A", "党群管理类"),
        (ClassLevel.MINOR, "01-A1", "党务工作"),
        (ClassLevel.MINOR, "01-A2", "组织工作"),
        (ClassLevel.MINOR, "01-A3", "宣传统战工作"),
    ]
    items = RetentionItem.objects.filter(archive_class__version=version)
    assert items.count() == 21
    first = items.order_by("position")[0]
    assert first.archive_class is not None
    assert (first.archive_class.full_code, first.years) == ("01-A1", None)
    assert items.get(record_type="对下属单位关于党务工作请示的批复").years == 30
    a3 = ArchiveClass.objects.get(version=version, full_code="01-A3")
    assert a3.scope.count("\n") == 4
