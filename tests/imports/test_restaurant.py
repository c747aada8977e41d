"""The restaurant's real POS export: 945 bills, 10,037 lines, 473 customers."""

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Count, Sum

from dossier.guests.models import Guest, GuestPhone, MemberCard
from dossier.history.models import Bill, BillLine, BillStatus, Dish, SpendLine
from dossier.imports.models import ImportJob
from dossier.imports.services import import_commit, import_preview
from tests.imports.conftest import JobMaker, csv_bytes

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "restaurant"
BILLS = DATA / "tipdm_meal_order_info.csv"
LINES = DATA / "tipdm_meal_order_detail.csv"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (BILLS.is_file() and LINES.is_file()),
        reason=f"the TipDM restaurant export is not in {DATA} (test data, not shipped)",
    ),
]

MISMATCH = {
    "row": 19,
    "column": "accounts_payable",
    "value": "112.00",
    "message": "账单 480 的明细合计 111.00 元，与应付金额 112.00 元不符",
}


@pytest.fixture
def restaurant_job(make_job: JobMaker) -> ImportJob:
    return make_job(
        BILLS.read_bytes(),
        BILLS.name,
        "restaurant",
        lines=ContentFile(LINES.read_bytes()),
        lines_name=LINES.name,
    )


def test_preview_counts_the_export(restaurant_job: ImportJob) -> None:
    report = import_preview(job=restaurant_job)

    assert (report.created, report.updated, report.rejected) == (945, 0, [])
    assert report.guests == {"created": 473, "updated": 0, "unchanged": 0}
    assert report.counts == {
        "line_rows": 10037,
        "lines": 10037,
        "dishes": 145,
        "bills": 945,
    }
    assert MISMATCH in report.warnings
    assert [w["message"] for w in report.warnings if "明细合计" in w["message"]] == [
        MISMATCH["message"]
    ]
    assert Bill.objects.count() == 0


def test_commit_writes_customers_bills_lines_and_dishes(
    restaurant_job: ImportJob,
) -> None:
    # when
    report = import_commit(job=restaurant_job, actor=None)

    # then
    assert report.committed is True
    assert Guest.objects.count() == 473
    assert MemberCard.objects.count() == 473
    assert Guest.objects.get(cards__number="1071").full_name == "顾客1071"
    many_phones = Guest.objects.annotate(n=Count("phones")).filter(n__gte=2)
    assert many_phones.count() == 78
    assert GuestPhone.objects.count() == 551
    assert Bill.objects.count() == 945
    assert dict(Bill.objects.values_list("status").annotate(Count("id"))) == {
        BillStatus.SETTLED: 933, BillStatus.OPEN: 9, BillStatus.CANCELLED: 3
    }  # fmt: skip
    assert BillLine.objects.count() == 10037
    assert Dish.objects.count() == 145
    assert not Dish.objects.filter(name__contains="\n").exists()
    bill = Bill.objects.get(external_ref="480")
    assert (bill.total, bill.payable, bill.covers, bill.table) == (
        Decimal("111.00"), Decimal("112.00"), 2, "1006"
    )  # fmt: skip
    # cancelled bills count toward no spend
    assert SpendLine.objects.aggregate(s=Sum("revenue"))["s"] == Decimal("463256.00")
    assert SpendLine.objects.filter(bill__status=BillStatus.CANCELLED).count() == 0


def test_reimport_updates_everything_and_duplicates_nothing() -> None:
    out = StringIO()
    call_command("import", str(BILLS), "--kind", "restaurant", stdout=StringIO())

    call_command("import", str(BILLS), "--kind", "restaurant", "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert (report["created"], report["updated"]) == (0, 945)
    assert report["guests"] == {"created": 0, "updated": 473, "unchanged": 473}
    assert (Guest.objects.count(), Bill.objects.count(), BillLine.objects.count()) == (
        473, 945, 10037
    )  # fmt: skip


def test_a_bill_without_a_customer_and_lines_without_a_bill_are_named_by_row(
    make_job: JobMaker,
) -> None:
    # given a POS export whose customer column has a house heading, one bill
    # without a customer, and lines of a bill the bills file lacks
    bills = csv_bytes(
        [
            ["info_id", "顾客编号", "accounts_payable", "use_start_time", "phone"],
            ["1", "1196", "26", "2016/8/6 19:06", "18688880375"],
            ["2", "", "30", "2016/8/6 20:00", "13812345678"],
        ]
    )
    lines = csv_bytes(
        [
            ["order_id", "dishes_name", "counts", "amounts"],
            ["1", "西瓜胡萝卜沙拉", "1", "26"],
            ["9", "凉拌菠菜", "1", "27"],
            ["9", "米饭", "2", "1"],
        ]
    )
    job = make_job(bills, "bills.csv", "restaurant", lines=ContentFile(lines),
                   lines_name="lines.csv")  # fmt: skip

    # when it is previewed
    report = import_preview(job=job)

    # then the bill is refused at its row under the file's own heading, and the
    # lines are named at the first row of the bill number in the lines file
    assert [(r["row"], r["column"], r["message"]) for r in report.rejected] == [
        (3, "顾客编号", "缺少顾客编号")
    ]
    assert {
        "file": "lines.csv",
        "row": 3,
        "column": "order_id",
        "value": "9",
        "message": "明细中的单号 9 在账单文件中不存在，其 2 条明细未导入",
    } in report.warnings
