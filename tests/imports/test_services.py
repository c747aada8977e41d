"""Preview and commit of guest files: every row checked, all or nothing, re-import updates."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError
from django.db.models import Model

from dossier.core.models import AuditEvent
from dossier.guests.models import (
    Guest,
    GuestPhone,
    GuestPreference,
    IdentityDocument,
    MemberCard,
    ProfileChange,
)
from dossier.history.models import Bill, BillLine, SpendLine, Stay
from dossier.imports import kinds
from dossier.imports.models import ImportStatus
from dossier.imports.services import ImportFailed, import_commit, import_preview
from tests.imports.conftest import (
    ID_LI,
    ID_WANG,
    ID_ZHANG,
    JobMaker,
    csv_bytes,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

GUESTS = [
    ["姓名", "性别", "手机", "身份证号", "单位", "职务", "爱好", "消费记录", "备注", "会员卡号"],
    ["张伟", "男", "13812345678", ID_ZHANG, "华为", "总经理", "钓鱼", "2023 年宴请 12 桌", "老客", "V001"],
    ["李娜", "女", "13912345678", ID_LI, "腾讯", "", "", "", "", ""],
    ["王强", "", "13712345678", "", "", "", "", "", "", ""],
]  # fmt: skip
WRITTEN: tuple[type[Model], ...] = (
    Guest, GuestPhone, IdentityDocument, MemberCard, ProfileChange, GuestPreference,
    Stay, Bill, BillLine, SpendLine, AuditEvent,
)  # fmt: skip


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def test_preview_counts_and_writes_nothing(make_job: JobMaker) -> None:
    # given
    job = make_job(csv_bytes(GUESTS))
    before = _counts()

    # when
    report = import_preview(job=job)

    # then
    assert (report.created, report.updated, report.rejected) == (3, 0, [])
    assert _counts() == before
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    assert job.report["created"] == 3


def test_a_name_with_an_emoji_is_a_rejected_row(make_job: JobMaker) -> None:
    job = make_job(csv_bytes([["客人姓名", "手机"], ["李😀", "13812345678"]]))

    report = import_preview(job=job)

    assert report.rejected == [
        {
            "row": 2,
            "column": "客人姓名",
            "value": "李😀",
            "message": "姓名中有表情或符号“😀”，请只写姓名的文字",
        }
    ]


def test_commit_writes_every_guest_with_what_they_came_with(make_job: JobMaker) -> None:
    # given
    job = make_job(csv_bytes(GUESTS))

    # when
    report = import_commit(job=job, actor=None)

    # then
    assert report.committed is True
    zhang = Guest.objects.get(full_name="张伟")
    assert (zhang.gender, zhang.birth_date, zhang.employer, zhang.title) == (
        "M",
        date(1980, 1, 2),
        "华为",
        "总经理",
    )
    assert zhang.notes == "老客\n消费记录：2023 年宴请 12 桌"
    assert list(zhang.phones.values_list("e164", flat=True)) == ["+8613812345678"]
    assert list(zhang.cards.values_list("number", flat=True)) == ["V001"]
    assert zhang.preferences.get().value_text == "钓鱼"
    assert zhang.documents.get().number_masked == "110105********0150"
    assert Guest.objects.count() == 3
    event = AuditEvent.objects.get(action="import.committed")
    assert (event.detail["created"], event.detail["rows"]) == (3, 3)
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED


def test_reimport_updates_rather_than_duplicates(make_job: JobMaker) -> None:
    # given the file imported once, then the same file with one changed title
    import_commit(job=make_job(csv_bytes(GUESTS)), actor=None)
    again = [row[:] for row in GUESTS]
    again[2][5] = "总监"

    # when
    report = import_commit(job=make_job(csv_bytes(again)), actor=None)

    # then
    assert (report.created, report.updated, report.unchanged) == (0, 3, 2)
    assert Guest.objects.count() == 3
    li = Guest.objects.get(full_name="李娜")
    assert li.title == "总监"
    change = ProfileChange.objects.get(guest=li, field="title")
    assert (change.before, change.after, change.source) == ("", "总监", "import")


def test_match_by_mobile_when_there_is_no_id(make_job: JobMaker) -> None:
    # given 王强 known by his mobile only
    import_commit(job=make_job(csv_bytes(GUESTS)), actor=None)
    rows = [
        ["客人姓名", "移动电话", "邮箱"],
        ["王强", "+86 137 1234 5678", "wq@example.com"],
    ]

    # when
    report = import_commit(job=make_job(csv_bytes(rows)), actor=None)

    # then
    assert (report.created, report.updated) == (0, 1)
    assert Guest.objects.get(full_name="王强").email == "wq@example.com"


def test_same_id_twice_in_a_file_is_one_guest(make_job: JobMaker) -> None:
    rows = [
        ["姓名", "身份证号", "手机", "电话"],
        ["张伟", ID_ZHANG, "13812345678", ""],
        ["张伟", ID_ZHANG, "", "010-62345678"],
    ]

    report = import_commit(job=make_job(csv_bytes(rows)), actor=None)

    assert (report.created, report.updated) == (1, 0)
    assert report.warnings == [
        {
            "row": 3,
            "column": "",
            "value": "张伟",
            "message": "与第 2 行是同一位客人，已合并到该行",
        }
    ]
    guest = Guest.objects.get()
    assert sorted(guest.phones.values_list("e164", flat=True)) == [
        "+861062345678", "+8613812345678"
    ]  # fmt: skip


def test_shared_phone_with_a_different_id_is_another_guest(make_job: JobMaker) -> None:
    import_commit(job=make_job(csv_bytes(GUESTS)), actor=None)
    rows = [["姓名", "手机", "身份证号"], ["张小伟", "13812345678", ID_WANG]]

    report = import_preview(job=make_job(csv_bytes(rows)))

    assert (report.created, report.updated) == (1, 0)
    assert (
        report.warnings[0]["message"]
        == "电话与另一位客人相同，但证件号码不同，已按新客人处理"
    )


def test_bad_rows_are_reported_with_row_column_value_and_reason(
    make_job: JobMaker,
) -> None:
    rows = [
        ["姓名", "手机", "身份证号", "出生日期", "客户类别"],
        ["张伟", "1.38E+10", ID_ZHANG[:-1] + "9", "1980-01-02", "A"],
        ["", "13912345678", "", "", ""],
        ["王强", "12345", "", "1990-02-30", "D"],
    ]

    report = import_preview(job=make_job(csv_bytes(rows)))

    assert report.rejected == [
        {"row": 2, "column": "手机", "value": "1.38E+10", "message": "手机被 Excel 存成了数字（显示为 1.38E+10 一类），号码可能已改变，请把该列设为文本后重新导出"},
        {"row": 2, "column": "身份证号", "value": "110105198001020159", "message": "校验码错误：应为 0，实为 9"},
        {"row": 3, "column": "姓名", "value": "", "message": "姓名不能为空"},
        {"row": 4, "column": "手机", "value": "12345", "message": "号码 12345 不是有效的电话号码"},
        {"row": 4, "column": "出生日期", "value": "1990-02-30", "message": "不存在的日期：1990-02-30"},
        {"row": 4, "column": "客户类别", "value": "D", "message": "客户类别应为 A、B 或 C"},
    ]  # fmt: skip
    assert (report.created, report.rejected_rows) == (0, 3)


def test_rejected_rows_stop_the_commit_unless_skipped(make_job: JobMaker) -> None:
    rows = [*GUESTS, ["", "", "13512345678", "", "", "", "", "", "", ""]]
    job = make_job(csv_bytes(rows))

    stopped = import_commit(job=job, actor=None)

    assert stopped.committed is False
    assert stopped.error == "有 1 行被拒绝，未写入任何数据"
    assert Guest.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED

    skipped = import_commit(job=job, actor=None, skip_rejected=True)

    assert (skipped.committed, skipped.created, skipped.rejected_rows) == (True, 3, 1)
    assert Guest.objects.count() == 3


def test_a_failure_while_writing_leaves_nothing(
    make_job: JobMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a database error after the guests were created
    def broken(*args: Any, **kwargs: Any) -> None:
        raise IntegrityError("simulated failure")

    monkeypatch.setattr(kinds, "_extras_create", broken)
    job = make_job(csv_bytes(GUESTS))
    before = _counts()

    # when
    report = import_commit(job=job, actor=None)

    # then
    assert report.committed is False
    assert report.error == "写入时出错，已全部撤销，未写入任何数据：simulated failure"
    assert _counts() == before
    assert Guest.objects.count() == 0
    job.refresh_from_db()
    assert (job.status, job.report["error"]) == (ImportStatus.FAILED, report.error)


def test_gb18030_file_keeps_the_rare_character(make_job: JobMaker) -> None:
    rows = [["姓名", "手机"], ["刘䶮", "13612345678"]]

    import_commit(job=make_job(csv_bytes(rows, encoding="gb18030")), actor=None)

    assert Guest.objects.get().full_name == "刘䶮"


def test_xlsx_merged_company_reaches_every_guest(make_job: JobMaker) -> None:
    data = xlsx_bytes(
        [["姓名", "单位"], ["张伟", "华为"], ["李娜", None], ["王强", None]],
        merges=["B2:B4"],
    )

    import_commit(job=make_job(data, "guests.xlsx"), actor=None)

    assert sorted(Guest.objects.values_list("full_name", "employer")) == [
        ("张伟", "华为"), ("李娜", "华为"), ("王强", "华为")
    ]  # fmt: skip


def test_xlsx_id_stored_as_number_is_rejected(make_job: JobMaker) -> None:
    data = xlsx_bytes(
        [["姓名", "身份证号"], ["张伟", int(ID_ZHANG)], ["李娜", ID_LI]],
    )

    report = import_preview(job=make_job(data, "guests.xlsx"))

    assert report.rejected == [
        {
            "row": 2,
            "column": "身份证号",
            "value": "110105198001020000",
            "message": "身份证号被 Excel 存成了数字，末几位已丢失，请把该列设为文本后重新导出",
        }
    ]
    assert report.created == 1


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (2161234567, "2161234567"),  # 021-6123 4567 without its leading 0
        (110105198001020150, "110105198001020000"),  # an ID number, rounded
        (13812345678.5, "13812345678.5"),
        (1.38e15, "1380000000000000"),
    ],
)
def test_xlsx_phone_stored_as_number_is_rejected(
    make_job: JobMaker, number: float, shown: str
) -> None:
    data = xlsx_bytes([["姓名", "手机"], ["张伟", number]])

    report = import_preview(job=make_job(data, "guests.xlsx"))

    assert [(e["row"], e["column"], e["value"]) for e in report.rejected] == [
        (2, "手机", shown)
    ]


def test_xlsx_mobile_stored_as_a_whole_number_is_taken_as_is(
    make_job: JobMaker,
) -> None:
    # given an 11-digit mobile in a number cell, shown as 1.38E+10
    data = xlsx_bytes(
        [["姓名", "手机"], ["张伟", 13812345678]], formats={"B2": "0.00E+00"}
    )

    # when
    report = import_commit(job=make_job(data, "guests.xlsx"), actor=None)

    # then it is the guest's mobile, digit for digit
    assert (report.created, report.rejected) == (1, [])
    assert list(GuestPhone.objects.values_list("e164", "raw")) == [
        ("+8613812345678", "13812345678")
    ]


def test_xlsx_birthdays_in_two_formats_and_a_serial(make_job: JobMaker) -> None:
    data = xlsx_bytes(
        [["姓名", "生日"], ["张伟", date(1980, 1, 2)], ["李娜", date(1990, 5, 17)],
         ["王强", 27728]],
        formats={"B2": "yyyy年m月d日", "B3": "mm/dd/yyyy"},
    )  # fmt: skip

    import_commit(job=make_job(data, "guests.xlsx"), actor=None)

    assert sorted(Guest.objects.values_list("full_name", "birth_date")) == [
        ("张伟", date(1980, 1, 2)), ("李娜", date(1990, 5, 17)),
        ("王强", date(1975, 11, 30)),
    ]  # fmt: skip


def test_file_without_a_name_column_fails_clearly(make_job: JobMaker) -> None:
    job = make_job(
        csv_bytes([["手机", "单位"], ["13812345678", "华为"]]), "nameless.csv"
    )

    with pytest.raises(ImportFailed) as caught:
        import_preview(job=job)

    assert (
        caught.value.message == "无法读取文件“nameless.csv”：找不到姓名列（请检查表头）"
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED


def test_user_mapping_is_applied(make_job: JobMaker) -> None:
    rows = [["客人", "手机"], ["张伟", "13812345678"]]
    job = make_job(csv_bytes(rows), mapping={"客人": "full_name"})

    report = import_commit(job=job, actor=None)

    assert report.created == 1
    assert report.mapping == {"客人": "full_name", "手机": "mobile"}


STAYS = [
    ["姓名", "手机", "身份证号", "房号", "房型", "房价", "到店日期", "离店日期", "人数", "状态", "单号"],
    ["张伟", "13812345678", ID_ZHANG, "0808", "豪华大床房", "688", "2024-03-01", "2024-03-04", "2", "已离店", "R1001"],
    ["李娜", "13912345678", "", "1203", "行政套房", "1288.50", "2024/3/2", "2024/3/3", "1", "已取消", "R1002"],
    ["张伟", "", ID_ZHANG, "0808", "豪华大床房", "688", "2024-04-10", "2024-04-11", "1", "", ""],
]  # fmt: skip


def test_stays_create_their_guests_and_spend(make_job: JobMaker) -> None:
    report = import_commit(
        job=make_job(csv_bytes(STAYS), "stays.csv", "stays"), actor=None
    )

    assert (report.created, report.updated, report.rejected) == (3, 0, [])
    assert report.guests == {"created": 2, "updated": 0, "unchanged": 0}
    zhang = Guest.objects.get(full_name="张伟")
    assert list(zhang.stays.order_by("arrival").values_list("room", "nights", "rate")) == [
        ("0808", 3, Decimal("688.00")), ("0808", 1, Decimal("688.00"))
    ]  # fmt: skip
    assert sorted(SpendLine.objects.values_list("revenue", flat=True)) == [
        Decimal("688.00"), Decimal("2064.00")
    ]  # fmt: skip


def test_stays_reimported_are_updated(make_job: JobMaker) -> None:
    import_commit(job=make_job(csv_bytes(STAYS), "stays.csv", "stays"), actor=None)

    report = import_commit(
        job=make_job(csv_bytes(STAYS), "stays.csv", "stays"), actor=None
    )

    assert (report.created, report.updated) == (0, 3)
    assert report.guests == {"created": 0, "updated": 2, "unchanged": 2}
    assert (Stay.objects.count(), Guest.objects.count(), SpendLine.objects.count()) == (
        3,
        2,
        2,
    )


def test_stay_rows_are_checked(make_job: JobMaker) -> None:
    rows = [
        ["手机", "到店日期", "离店日期", "状态"],
        ["13812345678", "2024-03-04", "2024-03-01", "已离店"],
        ["13912345678", "2024-03-01", "2024-03-02", "退款"],
    ]

    report = import_preview(job=make_job(csv_bytes(rows), "stays.csv", "stays"))

    assert [(e["row"], e["column"], e["message"]) for e in report.rejected] == [
        (2, "离店日期", "离店日期早于到店日期"),
        (3, "状态", "无法识别的状态（应为 已离店、在住、预订、已取消、未到）"),
    ]


def test_stay_and_bill_texts_longer_than_their_columns_are_rejected_by_row(
    make_job: JobMaker,
) -> None:
    # given rows whose room, reference, channel, table and dish exceed their columns
    stays = [
        ["单号", "姓名", "房号", "渠道", "到店日期", "离店日期"],
        ["S" * 65, "张伟", "0808", "", "2024-03-01", "2024-03-02"],
        ["S2", "张伟", "8" * 17, "", "2024-03-03", "2024-03-04"],
        ["S3", "张伟", "0808", "渠" * 61, "2024-03-05", "2024-03-06"],
    ]
    bills = [
        ["单号", "姓名", "消费时间", "台号", "菜名", "单价"],
        ["B1", "张伟", "2024-03-01 18:30", "T" * 21, "米饭", "3"],
        ["B2", "张伟", "2024-03-01 18:30", "A1", "菜" * 101, "3"],
    ]

    # when they are checked and committed, the rejected rows skipped
    stay_job = make_job(csv_bytes(stays), "stays.csv", "stays")
    bill_job = make_job(csv_bytes(bills), "bills.csv", "bills")
    found = [import_preview(job=job).rejected for job in (stay_job, bill_job)]
    for job in (stay_job, bill_job):
        import_commit(job=job, actor=None, skip_rejected=True)

    # then each is named by row and column, and none is written cut or whole
    assert [(e["row"], e["column"], e["message"]) for e in found[0] + found[1]] == [
        (2, "单号", "过长：最多 64 个字，实为 65 个字"),
        (3, "房号", "过长：最多 16 个字，实为 17 个字"),
        (4, "渠道", "过长：最多 60 个字，实为 61 个字"),
        (2, "台号", "过长：最多 20 个字，实为 21 个字"),
        (3, "菜名", "过长：最多 100 个字，实为 101 个字"),
    ]
    assert (Stay.objects.count(), Bill.objects.count()) == (0, 0)


def test_a_negative_room_rate_or_revenue_is_rejected_as_the_api_rejects_it(
    make_job: JobMaker,
) -> None:
    # given stays with a negative rate and a negative room revenue
    rows = [
        ["姓名", "房价", "房费", "到店日期", "离店日期"],
        ["张伟", "-5", "", "2024-03-01", "2024-03-02"],
        ["张伟", "688", "-100", "2024-03-03", "2024-03-04"],
    ]

    # when they are checked
    report = import_preview(job=make_job(csv_bytes(rows), "stays.csv", "stays"))

    # then each is named by row and column
    assert [(e["row"], e["column"], e["value"], e["message"]) for e in report.rejected] == [
        (2, "房价", "-5", "金额不能为负数"),
        (3, "房费", "-100", "金额不能为负数"),
    ]  # fmt: skip


BILLS = [
    ["单号", "姓名", "手机", "消费时间", "台号", "人数", "应付金额", "菜名", "数量", "单价"],
    ["B1", "张伟", "13812345678", "2024-03-01 18:30", "A1", "4", "226", "清蒸鲈鱼", "1", "128"],
    ["B1", "张伟", "13812345678", "2024-03-01 18:30", "A1", "4", "226", "白灼菜心\n", "2", "49"],
    ["B2", "李娜", "13912345678", "2024-03-02 12:00", "A2", "2", "58", "凉拌菠菜", "2", "29"],
]  # fmt: skip


def test_bills_group_their_lines(make_job: JobMaker) -> None:
    data = "\n".join(",".join(f'"{c}"' for c in row) for row in BILLS).encode()

    report = import_commit(job=make_job(data, "bills.csv", "bills"), actor=None)

    assert (report.created, report.counts["lines"]) == (2, 3)
    bill = Bill.objects.get(external_ref="B1")
    assert (bill.total, bill.payable, bill.covers, bill.table) == (
        Decimal("226.00"), Decimal("226.00"), 4, "A1"
    )  # fmt: skip
    assert sorted(bill.lines.values_list("dish__name", "amount")) == [
        ("清蒸鲈鱼", Decimal("128.00")), ("白灼菜心", Decimal("98.00"))
    ]  # fmt: skip


def test_a_known_id_under_another_name_is_rejected_not_renamed(
    make_job: JobMaker,
) -> None:
    # given 李娜 in the archive
    import_commit(job=make_job(csv_bytes(GUESTS)), actor=None)
    rows = [["姓名", "手机", "证件号码"], ["梁山", "13911112229", ID_LI]]

    # when a file gives her ID number under another name
    report = import_commit(job=make_job(csv_bytes(rows)), actor=None)

    # then the row is refused, naming the masked profile, and nothing changed
    assert report.committed is False
    assert (report.updated, report.rejected) == (0, [{
        "row": 2, "column": "姓名", "value": "梁山",
        "message": "证件号码与已有档案 李*相同，但姓名不同：导入不会给客人改名，"
                   "请核对证件号码或姓名",
    }])  # fmt: skip
    li = Guest.objects.get(documents__isnull=False, full_name="李娜")
    assert list(li.phones.values_list("e164", flat=True)) == ["+8613912345678"]
    assert not ProfileChange.objects.filter(field="full_name").exists()


def test_a_known_card_with_a_contradicting_birth_date_is_rejected(
    make_job: JobMaker,
) -> None:
    # given 张伟, born 1980-01-02, holding card V001
    import_commit(job=make_job(csv_bytes(GUESTS)), actor=None)
    rows = [["姓名", "会员卡号", "出生日期"], ["张伟", "V001", "1990-01-01"]]

    # when
    report = import_preview(job=make_job(csv_bytes(rows)))

    # then
    assert report.rejected == [{
        "row": 2, "column": "出生日期", "value": "1990-01-01",
        "message": "会员卡号与已有档案 张*相同，但出生日期不同，"
                   "请核对会员卡号或出生日期",
    }]  # fmt: skip


def test_the_same_name_in_traditional_script_and_other_spacing_still_updates(
    make_job: JobMaker,
) -> None:
    # given 李娜; when a row writes her as 李 娜 (traditional 娜 is the same) with e-mail
    import_commit(job=make_job(csv_bytes(GUESTS)), actor=None)
    rows = [["姓名", "证件号码", "邮箱"], ["李 娜", ID_LI, "ln@example.com"]]

    report = import_commit(job=make_job(csv_bytes(rows)), actor=None)

    # then her e-mail is updated and her name kept as written before
    assert (report.updated, report.rejected) == (1, [])
    li = Guest.objects.get(full_name="李娜")
    assert li.email == "ln@example.com"


def test_a_known_phone_under_another_name_is_a_new_guest(make_job: JobMaker) -> None:
    # given 王强 known by his mobile only
    import_commit(job=make_job(csv_bytes(GUESTS)), actor=None)
    rows = [["姓名", "手机"], ["王丽", "13712345678"]]

    # when
    report = import_commit(job=make_job(csv_bytes(rows)), actor=None)

    # then 王强 keeps his name and 王丽 is a new profile sharing the number
    assert (report.created, report.updated) == (1, 0)
    assert report.warnings[0]["message"] == (
        "电话与已有档案 王*相同，但姓名不同，已按新客人处理"
    )
    assert sorted(
        GuestPhone.objects.filter(e164="+8613712345678").values_list(
            "guest__full_name", flat=True
        )
    ) == ["王丽", "王强"]


def test_a_birth_date_contradicting_the_rows_own_id_is_refused(
    make_job: JobMaker,
) -> None:
    rows = [["姓名", "证件号码", "出生日期"], ["孙丽", ID_LI, "1990-01-01"]]

    report = import_preview(job=make_job(xlsx_bytes(rows), name="guests.xlsx"))

    assert report.rejected == [{
        "row": 2, "column": "出生日期", "value": "1990-01-01",
        "message": "出生日期与身份证号不符：身份证为 1990-05-17",
    }]  # fmt: skip


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (45000.5, "单元格带有时间（45000.5），不是出生日期：请填写日期，如 1985-11-12"),
        ("1985-11-12 08:30", "单元格带有时间（1985-11-12 08:30），不是出生日期：请填写日期，如 1985-11-12"),
    ],
)  # fmt: skip
def test_a_birth_date_with_a_time_of_day_is_refused(
    make_job: JobMaker, cell: Any, message: str
) -> None:
    rows = [["姓名", "出生日期"], ["王芳", cell]]

    report = import_preview(job=make_job(xlsx_bytes(rows), name="guests.xlsx"))

    assert report.rejected == [
        {"row": 2, "column": "出生日期", "value": str(cell), "message": message}
    ]


def test_an_xlsx_formula_saved_without_its_value_is_named_as_a_formula(
    make_job: JobMaker,
) -> None:
    # given a workbook written by a program: the formula cell holds no value to show
    rows = [["姓名", "手机"], ["=1+1", "13812345678"]]

    # when
    report = import_preview(job=make_job(xlsx_bytes(rows), name="guests.xlsx"))

    # then the row is refused for its formula, not for a missing name
    assert report.rejected == [{
        "row": 2, "column": "姓名", "value": "=1+1",
        "message": "单元格是公式（=1+1），文件里没有保存它显示的值：导入只读取"
                   "单元格显示的值，请在 Excel 中打开并保存，或把公式改成文字",
    }]  # fmt: skip


@pytest.mark.parametrize("name", ["=1+1", "+86张", "-李", "@王"])
def test_a_csv_name_that_looks_like_a_formula_is_flagged(
    make_job: JobMaker, name: str
) -> None:
    rows = [["姓名", "手机"], [name, "13812345678"]]

    report = import_preview(job=make_job(csv_bytes(rows)))

    assert (report.created, report.warnings) == (1, [{
        "row": 2, "column": "姓名", "value": name,
        "message": f"姓名以 {name[0]} 开头，像是表格公式而不是姓名：请核对"
                   "（导出时会按文字写出）",
    }])  # fmt: skip


def test_a_phone_match_whose_id_gives_another_birth_date_is_rejected(
    make_job: JobMaker,
) -> None:
    # given 王强, known by his mobile, born 1980-01-01 as his profile says
    import_commit(job=make_job(csv_bytes(GUESTS)), actor=None)
    Guest.objects.filter(full_name="王强").update(birth_date=date(1980, 1, 1))

    # when a row with his mobile brings an ID number of someone born 1975-11-30
    rows = [["姓名", "手机", "证件号码"], ["王强", "13712345678", ID_WANG]]
    report = import_preview(job=make_job(csv_bytes(rows)))

    # then
    assert report.rejected == [{
        "row": 2, "column": "证件号码", "value": ID_WANG,
        "message": "电话与已有档案 王*相同，但出生日期不同，请核对电话或出生日期",
    }]  # fmt: skip


def test_one_id_under_two_names_in_a_file_rejects_the_later_row(
    make_job: JobMaker,
) -> None:
    rows = [["姓名", "证件号码"], ["张伟", ID_ZHANG], ["张大伟", ID_ZHANG]]

    report = import_preview(job=make_job(csv_bytes(rows)))

    assert (report.created, report.rejected) == (1, [{
        "row": 3, "column": "姓名", "value": "张大伟",
        "message": "证件号码与第 2 行的 张*相同，但姓名不同：导入不会给客人改名，"
                   "请核对证件号码或姓名",
    }])  # fmt: skip
