"""A large guest file is committed a part at a time: the result is the preview's."""

from typing import Any

import pytest

from dossier.guests.models import Guest, GuestPreference, ProfileChange
from dossier.guests.services import GuestInput, IdentityInput, guest_create
from dossier.imports import kinds
from dossier.imports.services import import_commit, import_preview
from tests.imports.conftest import ID_LI, ID_WANG, ID_ZHANG, JobMaker, csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "手机", "身份证号", "单位", "爱好", "备注"]
# Parts of two rows: every guest below comes back in a later part than its first.
ROWS = [
    ["张伟", "13812345678", ID_ZHANG, "", "钓鱼", "老客"],
    ["李娜", "13912345678", ID_LI, "腾讯", "", ""],
    ["王强", "13712345678", "", "", "", ""],
    ["张伟", "", ID_ZHANG, "华为", "围棋", "爱喝茶"],
    ["李娜", "13900001111", ID_LI, "阿里", "", ""],
    ["王刚", "13712345678", "", "", "", ""],
    ["赵敏", "", ID_ZHANG, "", "", ""],
    ["王强", "13712345678", "", "网易", "", "晚到"],
]


def _report(report: kinds.Report) -> tuple[object, ...]:
    return (
        report.created,
        report.updated,
        report.unchanged,
        report.rejected,
        report.warnings,
    )


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kinds, "PART_ROWS", 2)


@pytest.fixture
def li(prop: object) -> Guest:
    return guest_create(
        actor=None,
        property=prop,  # type: ignore[arg-type]
        data=GuestInput(
            fields={"full_name": "李娜", "employer": ""},
            documents=[IdentityInput(ID_LI)],
        ),
    )


def test_parts_report_what_the_preview_reported(
    make_job: JobMaker, li: Guest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a file whose guests come back in later parts, one of them in the archive,
    # previewed in memory as one part
    data = csv_bytes([HEADER, *ROWS])
    preview = import_preview(job=make_job(data))

    # when it is committed two rows at a time, skipping the refused row
    monkeypatch.setattr(kinds, "PART_ROWS", 2)
    report = import_commit(job=make_job(data), actor=None, skip_rejected=True)

    # then the counts, warnings and rejected rows are the preview's
    assert report.committed
    assert _report(report) == _report(preview)
    assert report.created == 3
    assert report.updated == 1
    assert [e["row"] for e in report.rejected] == [8]
    repeats = [w["message"] for w in report.warnings if "同一位客人" in w["message"]]
    assert repeats == [
        "与第 2 行是同一位客人，已合并到该行",
        "与第 3 行是同一位客人，已合并到该行",
        "与第 4 行是同一位客人，已合并到该行",
    ]


def test_a_guest_met_again_in_a_later_part_keeps_its_first_rows_values(
    make_job: JobMaker, li: Guest, small_parts: None
) -> None:
    # given the same file
    job = make_job(csv_bytes([HEADER, *ROWS]))

    # when it is committed two rows at a time
    import_commit(job=job, actor=None, skip_rejected=True)

    # then each person is one guest: blanks filled, notes and hobbies added up
    zhang = Guest.objects.get(full_name="张伟")
    assert (zhang.employer, zhang.notes) == ("华为", "老客\n爱喝茶")
    hobbies = GuestPreference.objects.get(guest=zhang, item__code="hobbies")
    assert hobbies.value_text == "钓鱼；围棋"
    li.refresh_from_db()
    assert li.employer == "腾讯"
    assert sorted(li.phones.values_list("e164", flat=True)) == [
        "+8613900001111",
        "+8613912345678",
    ]
    wang = Guest.objects.get(full_name="王强")
    assert (wang.employer, wang.notes) == ("网易", "晚到")
    assert Guest.objects.filter(full_name="王刚").count() == 1
    assert Guest.objects.count() == 4
    assert ProfileChange.objects.filter(guest=zhang, field="created").count() == 1


def test_a_rejected_row_in_the_last_part_undoes_the_parts_before(
    make_job: JobMaker, small_parts: None
) -> None:
    # given a file whose last row is invalid
    rows = [*ROWS[:6], ["", "12", ID_WANG[:-1], "", "", ""]]
    job = make_job(csv_bytes([HEADER, *rows]))

    # when it is committed without skipping
    report = import_commit(job=job, actor=None)

    # then nothing of the earlier parts stays
    assert not report.committed
    assert "未写入任何数据" in report.error
    assert Guest.objects.count() == 0
    assert ProfileChange.objects.count() == 0


def test_a_long_file_is_previewed_part_by_part_writing_nothing(
    make_job: JobMaker, li: Guest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the file's preview in memory, as one part
    data = csv_bytes([HEADER, *ROWS])
    in_memory = import_preview(job=make_job(data))
    changes = ProfileChange.objects.count()

    # when it is previewed again as a long file, two rows at a time
    monkeypatch.setattr(kinds, "PREVIEW_IN_MEMORY_ROWS", 7)
    monkeypatch.setattr(kinds, "PART_ROWS", 2)
    parts: list[int] = []
    write = kinds.write

    def counted(prepared: kinds.Prepared, **options: Any) -> None:
        parts.append(len(prepared.plan.targets))
        write(prepared, **options)

    monkeypatch.setattr(kinds, "write", counted)
    job = make_job(data)
    report = import_preview(job=job)

    # then each part was written, the same is reported, and nothing written stays
    assert parts == [2, 2, 2, 1]
    assert _report(report) == _report(in_memory)
    assert (report.total_rows, report.created, report.updated) == (8, 3, 1)
    assert not report.committed
    assert list(Guest.objects.values_list("pk", flat=True)) == [li.pk]
    li.refresh_from_db()
    assert li.employer == ""
    assert ProfileChange.objects.count() == changes
    job.refresh_from_db()
    assert (job.status, job.total_rows) == ("previewed", 8)


def test_a_file_of_at_most_the_in_memory_rows_is_previewed_without_writing(
    make_job: JobMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a file exactly as long as an in-memory preview may be
    monkeypatch.setattr(kinds, "PREVIEW_IN_MEMORY_ROWS", len(ROWS))
    monkeypatch.setattr(kinds, "PART_ROWS", 2)
    written: list[object] = []
    monkeypatch.setattr(kinds, "write", lambda *args, **options: written.append(args))

    # when
    report = import_preview(job=make_job(csv_bytes([HEADER, *ROWS])))

    # then it is checked in memory, nothing written even for a while
    assert written == []
    assert (report.total_rows, report.created) == (8, 4)
