"""Filing from the page and the API: an earlier case, a number by hand, an original
kept by its department, refiling a returned case, a batch with a taken number."""

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from dossier.core.models import AuditEvent, Property
from dossier.records.access import class_access_set
from dossier.records.models import (
    ArchiveClass,
    Case,
    CaseStatus,
    RetentionItem,
    ReturnSlip,
)
from dossier.records.retention import preset_items, schedule_from_preset
from dossier.records.services import retention_item_set
from tests.records.conftest import FileCase

pytestmark = pytest.mark.django_db

API = "/api/v1/records/cases"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(minor: ArchiveClass, **fields: Any) -> dict[str, Any]:
    values = {
        "archive_class": minor.pk,
        "title": "供应商合同补充协议",
        "department": "采购部",
        "doc_date": "2025-06-01",
        "retention": "10",
        "body_complete": "on",
        "attachments_complete": "on",
        "formalities_complete": "on",
    }
    values.update(fields)
    return values


class TestFilingForm:
    def test_a_case_belonging_to_an_earlier_case_takes_its_number(
        self, archivist: User, minor: ArchiveClass, file_case: FileCase
    ) -> None:
        # given a filed contract
        earlier = file_case(title="供应商合同").case

        # when its supplement is filed naming the contract's number
        response = _client(archivist).post(
            reverse("records:case_file"), _form(minor, belongs_to="01-02031-01")
        )

        # then the supplement carries the same number and points to it
        later = Case.objects.get(title="供应商合同补充协议")
        assert response.status_code == 302
        assert (later.archive_number, later.belongs_to_id) == (
            "01-02031-01",
            earlier.pk,
        )
        page = _client(archivist).get(reverse("records:case_detail", args=[earlier.pk]))
        assert reverse("records:case_detail", args=[later.pk]) in page.content.decode()

    def test_an_unknown_earlier_number_is_named_on_its_field(
        self, archivist: User, minor: ArchiveClass
    ) -> None:
        response = _client(archivist).post(
            reverse("records:case_file"), _form(minor, belongs_to="01-02039-09")
        )

        assert response.status_code == 200
        assert response.context["form"].errors == {
            "belongs_to": ["没有档号为 01-02039-09 的在档案件"]
        }
        assert not Case.objects.exists()

    def test_a_number_by_hand_is_taken_or_refused_naming_its_holder(
        self, archivist: User, minor: ArchiveClass, file_case: FileCase
    ) -> None:
        holder = file_case(title="合同1").case
        client = _client(archivist)

        free = client.post(reverse("records:case_file"), _form(minor, item="5"))
        taken = client.post(
            reverse("records:case_file"), _form(minor, title="撞号", item="1")
        )

        assert free.status_code == 302
        assert Case.objects.get(title="供应商合同补充协议").archive_number == (
            "01-02031-05"
        )
        assert taken.context["form"].errors == {
            "item": [
                f"档号 01-02031-01 已由案件《合同1》（#{holder.pk}，已归档）使用，"
                "不能再编给其他案件"
            ]
        }
        assert not Case.objects.filter(title="撞号").exists()

    def test_an_original_kept_by_the_department_needs_a_head_and_leaves_a_copy(
        self, archivist: User, manager: User, minor: ArchiveClass
    ) -> None:
        client = _client(archivist)
        kept = {"original_holder": "工程部"}

        refused = client.post(
            reverse("records:case_file"),
            _form(minor, **kept, original_approver="archivist"),
        )
        filed = client.post(
            reverse("records:case_file"),
            _form(minor, **kept, original_approver="manager"),
        )

        assert refused.context["form"].errors == {
            "original_approver": ["原稿由经办部门保管须经客户服务中心部门主管同意"]
        }
        case = Case.objects.get()
        assert (case.copy_only, case.original_holder, case.original_approved_by) == (
            True,
            "工程部",
            manager,
        )
        page = client.get(filed["Location"]).content.decode()
        assert "由工程部保管，档案室存影本" in page
        assert reverse("records:original_return", args=[case.pk]) in page

    def test_the_original_coming_back_ends_the_copy_and_is_audited(
        self, archivist: User, manager: User, file_case: FileCase
    ) -> None:
        case = file_case(original_holder="工程部", original_approved_by=manager).case

        response = _client(archivist).post(
            reverse("records:original_return", args=[case.pk])
        )

        case.refresh_from_db()
        assert response.status_code == 302
        assert (case.copy_only, case.original_returned_at is not None) == (False, True)
        event = AuditEvent.objects.get(action="records.original_returned")
        assert (event.actor, event.object_id) == (archivist, str(case.pk))
        page = _client(archivist).get(response["Location"]).content.decode()
        assert "工程部已于" in page
        assert "交回原稿" in page


def _returned(archivist: User, minor: ArchiveClass) -> Case:
    response = _client(archivist).post(
        reverse("records:case_file"), _form(minor, attachments_complete="")
    )
    assert response.status_code == 302
    return Case.objects.get(status=CaseStatus.RETURNED)


def test_a_returned_case_is_refiled_from_its_page(
    archivist: User, minor: ArchiveClass
) -> None:
    # given a case returned for missing attachments
    case = _returned(archivist, minor)
    client = _client(archivist)
    assert reverse("records:case_refile", args=[case.pk]) in (
        client.get(reverse("records:case_detail", args=[case.pk])).content.decode()
    )

    # when the department brings them and the archivist checks again
    response = client.post(
        reverse("records:case_refile", args=[case.pk]),
        {
            "body_complete": "on",
            "attachments_complete": "on",
            "formalities_complete": "on",
        },
    )

    # then it is filed with the next number and its slip is resolved
    case.refresh_from_db()
    assert response.status_code == 302
    assert (case.status, case.archive_number) == (CaseStatus.FILED, "01-02031-01")
    assert ReturnSlip.objects.get(case=case).resolved_at is not None


def test_a_refile_that_fails_again_keeps_the_case_returned_with_a_new_slip(
    archivist: User, minor: ArchiveClass
) -> None:
    case = _returned(archivist, minor)

    _client(archivist).post(
        reverse("records:case_refile", args=[case.pk]),
        {"body_complete": "on", "formalities_complete": "on"},
    )

    case.refresh_from_db()
    assert (case.status, case.archive_number) == (CaseStatus.RETURNED, "")
    assert ReturnSlip.objects.filter(case=case, resolved_at__isnull=True).count() == 2


class TestApi:
    def test_an_original_kept_by_its_department_and_its_return(
        self, archivist: User, manager: User, minor: ArchiveClass
    ) -> None:
        client = _client(archivist)
        body = {
            "class_code": "01-0203",
            "title": "工程图纸",
            "department": "工程部",
            "doc_date": "2025-06-01",
            "original_holder": "工程部",
        }

        refused = client.post(API, body, content_type="application/json")
        filed = client.post(
            API,
            {**body, "original_approved_by": "manager"},
            content_type="application/json",
        )
        case_id = filed.json()["case"]["id"]
        back = client.post(f"{API}/{case_id}/original-return")
        again = client.post(f"{API}/{case_id}/original-return")

        assert (refused.status_code, refused.json()["field"]) == (
            422,
            "original_approved_by",
        )
        assert filed.status_code == 201
        assert (filed.json()["case"]["copy_only"], back.json()["copy_only"]) == (
            True,
            False,
        )
        assert (again.status_code, again.json()["message"]) == (422, "档案室已存原稿")

    def test_a_returned_case_is_refiled(
        self, archivist: User, minor: ArchiveClass
    ) -> None:
        case = _returned(archivist, minor)
        client = _client(archivist)

        still = client.post(
            f"{API}/{case.pk}/refile",
            {"attachments_complete": False},
            content_type="application/json",
        )
        filed = client.post(
            f"{API}/{case.pk}/refile", {}, content_type="application/json"
        )
        twice = client.post(
            f"{API}/{case.pk}/refile", {}, content_type="application/json"
        )

        assert (still.status_code, still.json()["returned"]) == (
            200,
            ["附件短少，请追查归入"],
        )
        assert (filed.status_code, filed.json()["case"]["archive_number"]) == (
            201,
            "01-02031-01",
        )
        assert (twice.status_code, twice.json()["message"]) == (
            422,
            "该案件不在退回状态",
        )

    def test_a_batch_with_the_taken_0003_files_the_clean_case_and_reports_the_other(
        self, archivist: User, file_case: FileCase
    ) -> None:
        # given 01…03 in the class
        holders = [file_case(title=f"合同{n}").case for n in (1, 2, 3)]
        case = {
            "class_code": "01-0203",
            "department": "采购部",
            "doc_date": "2025-06-01",
        }

        # when a batch of two arrives, one carrying the taken item 3
        response = _client(archivist).post(
            "/api/v1/records/batches",
            {
                "cases": [
                    {**case, "title": "干净的一件"},
                    {**case, "title": "撞号的一件", "item": 3},
                    {**case, "title": "类别不存在", "class_code": "99-9999"},
                ]
            },
            content_type="application/json",
        )

        # then the clean one is filed and the others are reported by position
        body = response.json()
        assert response.status_code == 200
        assert [f["case"]["archive_number"] for f in body["filed"]] == ["01-02031-04"]
        assert body["refused"] == [
            {
                "position": 2,
                "message": f"档号 01-02031-03 已由案件《合同3》（#{holders[2].pk}，"
                "已归档）使用，不能再编给其他案件",
            },
            {"position": 3, "message": "没有类别 99-9999"},
        ]
        assert not Case.objects.filter(title="撞号的一件").exists()

    def test_an_empty_batch_is_refused(
        self, archivist: User, minor: ArchiveClass
    ) -> None:
        response = _client(archivist).post(
            "/api/v1/records/batches", {"cases": []}, content_type="application/json"
        )

        assert (response.status_code, response.json()["field"]) == (422, "cases")


@pytest.mark.parametrize(
    "door", ["web refile", "web original", "api refile", "api original"]
)
def test_the_filing_doors_of_a_hidden_case_are_not_found(
    archivist: User,
    manager: User,
    minor: ArchiveClass,
    file_case: FileCase,
    door: str,
) -> None:
    case = file_case(original_holder="工程部", original_approved_by=manager).case
    class_access_set(
        actor=manager, archive_class=minor, groups=[Group.objects.get(name="管理层")]
    )
    urls = {
        "web refile": reverse("records:case_refile", args=[case.pk]),
        "web original": reverse("records:original_return", args=[case.pk]),
        "api refile": f"{API}/{case.pk}/refile",
        "api original": f"{API}/{case.pk}/original-return",
    }

    response = _client(archivist).post(urls[door], {}, content_type="application/json")

    case.refresh_from_db()
    assert (response.status_code, case.copy_only) == (404, True)


def test_a_waiter_cannot_use_the_filing_doors(
    waiter: User, file_case: FileCase, manager: User
) -> None:
    case = file_case(original_holder="工程部", original_approved_by=manager).case

    page = _client(waiter).post(reverse("records:original_return", args=[case.pk]))
    api = _client(waiter).post(f"{API}/{case.pk}/original-return")

    assert (page.status_code, api.status_code) == (403, 403)


class TestScheduleLine:
    """Filing by a line of a retention schedule takes its period and its warning."""

    @pytest.fixture
    def voucher(self, prop: Property, archivist: User) -> RetentionItem:
        name, items = preset_items("accounting")
        schedule = schedule_from_preset(
            prop=prop, name=name, preset="accounting", items=items
        )
        line = schedule.items.get(record_type="记账凭证")
        retention_item_set(actor=archivist, item=line, years=15)
        return line

    def test_the_form_files_by_the_line_and_warns(
        self, archivist: User, minor: ArchiveClass, voucher: RetentionItem
    ) -> None:
        response = _client(archivist).post(
            reverse("records:case_file"),
            _form(
                minor, retention="", retention_item=voucher.pk, doc_date="2015-03-10"
            ),
            follow=True,
        )

        case = Case.objects.get()
        assert (case.retention_years, case.due_date) == (15, date(2031, 1, 1))
        assert "“记账凭证”定为15年，低于法定最低30年" in response.content.decode()

    def test_the_api_files_by_the_line_and_warns(
        self, archivist: User, minor: ArchiveClass, voucher: RetentionItem
    ) -> None:
        body = {
            "class_code": "01-0203",
            "title": "2015 年 3 月凭证",
            "department": "财务部",
            "doc_date": "2015-03-10",
        }
        client = _client(archivist)

        filed = client.post(
            API, {**body, "retention_item": voucher.pk}, content_type="application/json"
        )
        unknown = client.post(
            API, {**body, "retention_item": 999999}, content_type="application/json"
        )

        assert filed.status_code == 201
        assert filed.json()["case"]["due_date"] == "2031-01-01"
        assert filed.json()["warnings"] == ["“记账凭证”定为15年，低于法定最低30年"]
        assert unknown.status_code == 404


def test_a_list_of_cases_is_filed_from_the_page_naming_each_refused_row(
    archivist: User, waiter: User, file_case: FileCase
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    # given 01…03 in the class
    holders = [file_case(title=f"合同{n}").case for n in (1, 2, 3)]
    text = (
        "类别代码,题名,经办部门,文件日期,保管期限,目次\n"
        "01-0203,干净的一件,采购部,2025-06-01,10年,\n"
        "01-0203,撞号的一件,采购部,2025-06-01,10年,3\n"
        "09-0909,类别不存在,采购部,2025-06-01,10年,\n"
        "01-0203,日期不对,采购部,2025-13-01,10年,\n"
        "01-0203,日期在后,采购部,2099-01-01,10年,\n"
    )
    upload = SimpleUploadedFile("清单.csv", ("\ufeff" + text).encode())
    url = reverse("records:cases_batch")

    # when the list is uploaded
    response = _client(archivist).post(url, {"file": upload})

    # then the clean row is filed and each other row is named with its reason
    assert response.status_code == 200
    assert [f.case.archive_number for f in response.context["filed"]] == ["01-02031-04"]
    refused = response.context["refused"]
    assert [row for row, _message in refused] == [3, 4, 5, 6]
    assert refused[0][1] == (
        f"档号 01-02031-03 已由案件《合同3》（#{holders[2].pk}，已归档）使用，"
        "不能再编给其他案件"
    )
    assert refused[1][1] == "没有类别 09-0909"
    # a refusal of the filing names its field, as the filing form's summary does
    assert refused[3][1] == "文件日期：2099-01-01 晚于今天"
    assert not Case.objects.filter(title__in=["撞号的一件", "类别不存在"]).exists()
    assert _client(waiter).get(url).status_code == 403


def test_a_list_without_the_needed_columns_files_nothing(
    archivist: User, minor: ArchiveClass
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("清单.csv", "题名,经办部门\n合同,采购部\n".encode())

    response = _client(archivist).post(reverse("records:cases_batch"), {"file": upload})

    assert response.status_code == 400
    assert response.context["form"].errors == {"file": ["表格缺少这些列：类别代码"]}
    assert not Case.objects.exists()


def test_the_loan_form_is_offered_only_for_an_original_in_the_archive(
    archivist: User, manager: User, minor: ArchiveClass, file_case: FileCase
) -> None:
    filed = file_case(title="在档原件").case
    copy = file_case(original_holder="工程部", original_approved_by=manager).case
    returned = _returned(archivist, minor)
    form = 'id="loan-form"'

    pages = {
        case.title: _client(archivist)
        .get(reverse("records:case_detail", args=[case.pk]))
        .content.decode()
        for case in (filed, copy, returned)
    }

    assert [
        form in pages[title] for title in ("在档原件", copy.title, returned.title)
    ] == [
        True,
        False,
        False,
    ]
