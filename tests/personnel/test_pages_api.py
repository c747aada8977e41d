"""The personnel pages and API: thin doors over the services, for those allowed."""

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dossier.core.models import AuditEvent, Property
from dossier.personnel.models import PersonnelFile, SignOut, SignOutState
from dossier.personnel.services import receipt_days
from tests.personnel.conftest import (
    DELEGATE_ID,
    EMPLOYEE_ID,
    CaseMaker,
    FileMaker,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["files", "file_create", "register", "receipts"])
def test_the_pages_open_for_the_archivist_and_not_for_a_waiter(
    name: str, archivist: User, waiter: User, handed_case: CaseMaker
) -> None:
    handed_case()

    assert _client(archivist).get(reverse(f"personnel:{name}")).status_code == 200
    assert _client(waiter).get(reverse(f"personnel:{name}")).status_code == 403


def test_a_file_is_taken_in_from_the_form_and_listed_masked(archivist: User) -> None:
    client = _client(archivist)

    response = client.post(
        reverse("personnel:file_create"),
        {"file_number": "RS-100", "employee_name": "陈静", "id_number": EMPLOYEE_ID},
    )
    page = client.get(reverse("personnel:files")).content.decode()

    file = PersonnelFile.objects.get()
    assert response.status_code == 302
    assert file.employee_name == "陈静"
    assert file.id_number_masked in page
    assert EMPLOYEE_ID not in page


def test_a_bad_id_number_is_shown_on_its_field_and_nothing_is_kept(
    archivist: User,
) -> None:
    response = _client(archivist).post(
        reverse("personnel:file_create"),
        {
            "file_number": "RS-100",
            "employee_name": "陈静",
            "id_number": "11010519900506123X",
        },
    )

    # then the form comes back as typed, the error beside the field and in the summary
    page = response.content.decode()
    assert response.status_code == 400
    summary = page.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert '<a href="#id_id_number">身份证号</a>：' in summary
    assert '<p class="error" id="id_id_number_error" role="alert">' in page
    assert 'name="employee_name" value="陈静"' in page
    assert not PersonnelFile.objects.exists()


def test_the_reveal_shows_the_whole_number_only_with_the_permission(
    archivist: User, manager: User, make_file: FileMaker
) -> None:
    file = make_file()
    url = reverse("personnel:file_reveal", args=[file.pk])

    shown = _client(archivist).post(url, **HTMX)  # type: ignore[arg-type]
    denied = _client(manager).post(url)

    whole = _client(archivist).post(url)

    assert shown.content.decode().startswith('<span id="file-id-number"')
    assert EMPLOYEE_ID in shown.content.decode()
    assert "<html" in whole.content.decode()
    assert EMPLOYEE_ID in whole.content.decode()
    assert denied.status_code == 403
    assert AuditEvent.objects.filter(action="id_number.viewed").count() == 2
    detail = _client(manager).get(reverse("personnel:file_detail", args=[file.pk]))
    assert detail.status_code == 200
    assert EMPLOYEE_ID not in detail.content.decode()


def test_the_guided_case_from_situation_to_receipt(
    archivist: User, make_file: FileMaker, prop: Property
) -> None:
    # given
    file = make_file()
    client = _client(archivist)

    # step 1: the situation
    response = client.post(
        reverse("personnel:sign_out_start", args=[file.pk]),
        {"requester_kind": "delegate", "graduate": "none"},
    )
    sign_out = SignOut.objects.get()
    assert response.status_code == 302
    check_url = reverse("personnel:sign_out_check", args=[sign_out.pk])
    form = {
        "requester_name": "李娜",
        "requester_id_number": DELEGATE_ID,
        "destination_unit": "杭州市西湖区人才服务中心",
        "destination_address": "杭州市西湖区文三路 1 号",
        "letter_number": "杭西人调 2026-31",
        "issuer_kind": "talent_service",
        "issuer_name": "杭州市西湖区人才服务中心",
        "documents": ["transfer_letter", "delegate_id", "employee_id_copy"],
    }

    # step 2 refused: the missing items are named and what was typed is kept
    refused = client.post(check_url, form, **HTMX)  # type: ignore[arg-type]
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "材料不齐，不能提档。缺少：" in page
    for item in [
        "委托书：委托人姓名为手写，非打印",
        "委托书：委托人已按手印",
        "受托人身份证复印件",
    ]:
        assert item in page
    assert "杭州市西湖区文三路 1 号" in page
    assert SignOut.objects.get().state == SignOutState.OPEN

    # step 2 accepted
    form["documents"] = [
        "transfer_letter",
        "attorney_handwritten",
        "attorney_fingerprint",
        "delegate_id",
        "employee_id_copy",
        "delegate_id_copy",
    ]
    checked = client.post(check_url, form, **HTMX)  # type: ignore[arg-type]
    number = f"{prop.today().year}-0001"
    assert f"材料齐全，已登记提档簿 {number}" in checked.content.decode()

    # step 3: seal check and acknowledgement
    handover_url = reverse("personnel:sign_out_hand_over", args=[sign_out.pk])
    broken = client.post(
        handover_url,
        {"seam_stamp_intact": "on", "acknowledged": "on", "acknowledged_name": "李娜"},
        **HTMX,
    )  # type: ignore[arg-type]
    assert "档案袋未密封好或有破损" in broken.content.decode()
    response = client.post(
        handover_url,
        {
            "seal_intact": "on",
            "seam_stamp_intact": "on",
            "acknowledged": "on",
            "acknowledged_name": "李娜",
        },
    )
    assert response.status_code == 302

    # the printable slip and the register
    slip = client.get(reverse("personnel:sign_out_print", args=[sign_out.pk]))
    register = client.get(reverse("personnel:register")).content.decode()
    assert "档案接收回执" in slip.content.decode()
    assert number in register
    assert "杭州市西湖区人才服务中心" in register
    assert "委托书：委托人已按手印" in register

    # step 4: the receipt closes the case
    response = client.post(
        reverse("personnel:receipt_record", args=[sign_out.pk]),
        {"received_on": prop.today().isoformat(), "signed_by": "周强"},
    )
    assert response.status_code == 302
    assert SignOut.objects.get().state == SignOutState.CLOSED
    assert PersonnelFile.objects.get().status == "transferred"


def test_a_waiter_cannot_open_a_case(waiter: User, make_file: FileMaker) -> None:
    file = make_file()

    response = _client(waiter).post(
        reverse("personnel:sign_out_start", args=[file.pk]), {"requester_kind": "self"}
    )

    assert response.status_code == 403
    assert not SignOut.objects.exists()


# API ------------------------------------------------------------------------------


def test_the_api_lists_files_masked(archivist: User, make_file: FileMaker) -> None:
    make_file()
    make_file(employee_name="王芳")

    body = _client(archivist).get("/api/v1/personnel/files?q=王芳").json()

    assert [(f["file_number"], f["employee_name"]) for f in body] == [
        ("RS-002", "王芳")
    ]
    assert "*" in body[0]["id_number_masked"]


def test_the_api_refuses_an_unknown_status(archivist: User) -> None:
    response = _client(archivist).get("/api/v1/personnel/files?status=lost")

    assert response.status_code == 422
    assert response.json()["message"].startswith("状态不正确：lost")


def test_the_api_shows_a_cases_state_and_what_is_missing(
    archivist: User, open_case: CaseMaker
) -> None:
    sign_out = open_case("self", party_transfer=True)

    body = _client(archivist).get(f"/api/v1/personnel/sign-outs/{sign_out.pk}").json()

    assert (body["state"], body["step"], body["register_number"]) == ("open", 2, "")
    assert body["missing"] == [
        "调档函或商调函（原件）",
        "本人身份证（原件，当场核对）",
        "本人身份证复印件",
        "党组织关系介绍信（原件）",
        "党组织关系介绍信复印件",
    ]


def test_the_api_records_the_receipt_and_lists_what_is_outstanding(
    archivist: User, handed_case: CaseMaker, prop: Property
) -> None:
    sign_out = handed_case()
    client = _client(archivist)

    outstanding = client.get("/api/v1/personnel/receipts/outstanding").json()
    bad = client.post(
        f"/api/v1/personnel/sign-outs/{sign_out.pk}/receipt",
        json.dumps({"received_on": prop.today().isoformat(), "signed_by": " "}),
        content_type="application/json",
    )
    good = client.post(
        f"/api/v1/personnel/sign-outs/{sign_out.pk}/receipt",
        json.dumps({"received_on": prop.today().isoformat(), "signed_by": "赵敏"}),
        content_type="application/json",
    )

    assert [row["sign_out"] for row in outstanding] == [sign_out.pk]
    assert outstanding[0]["receipt_due"] == str(prop.today() + timedelta(days=30))
    assert bad.status_code == 422
    assert (bad.json()["field"], bad.json()["message"]) == (
        "signed_by",
        "请填写接收单位经办人",
    )
    assert good.status_code == 200
    assert good.json()["state"] == "closed"
    assert client.get("/api/v1/personnel/receipts/outstanding").json() == []


def test_the_api_is_closed_to_a_waiter(waiter: User, handed_case: CaseMaker) -> None:
    sign_out = handed_case()
    client = _client(waiter)

    assert client.get("/api/v1/personnel/files").status_code == 403
    assert client.get(f"/api/v1/personnel/sign-outs/{sign_out.pk}").status_code == 403
    response = client.post(
        f"/api/v1/personnel/sign-outs/{sign_out.pk}/receipt",
        json.dumps({"received_on": "2026-01-01", "signed_by": "赵敏"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert SignOut.objects.get().state == SignOutState.HANDED_OVER


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("王芳", ["RS-002"]),
        ("RS-00", ["RS-001", "RS-002"]),
        (EMPLOYEE_ID, ["RS-001"]),
        (EMPLOYEE_ID[-4:], ["RS-001"]),
        ("前厅", ["RS-002"]),
    ],
)
def test_files_are_found_by_name_number_id_or_its_tail(
    archivist: User, make_file: FileMaker, query: str, expected: list[str]
) -> None:
    make_file()
    make_file(employee_name="王芳", department="前厅部")

    body = _client(archivist).get("/api/v1/personnel/files", {"q": query}).json()

    assert [f["file_number"] for f in body] == expected


def test_editing_a_file_keeps_its_id_number_and_audits_the_change(
    archivist: User, make_file: FileMaker
) -> None:
    file = make_file(hired_on=date(2021, 3, 1))
    client = _client(archivist)

    form = client.get(reverse("personnel:file_edit", args=[file.pk]))
    response = client.post(
        reverse("personnel:file_edit", args=[file.pk]),
        {"file_number": "RS-001", "employee_name": "张伟", "box": "13"},
    )

    stored = PersonnelFile.objects.get()
    assert 'value="档案室 A 架"' in form.content.decode()
    assert 'value="2021-03-01"' in form.content.decode()
    assert response.status_code == 302
    assert (stored.box, stored.id_number_index) == ("13", file.id_number_index)
    event = AuditEvent.objects.get(action="personnel.file_updated")
    assert event.detail["changed"]["box"] == ["12", "13"]


@pytest.mark.parametrize(
    ("maker", "heading"),
    [
        ("open_case", "第二步：核验材料并登记提档簿"),
        ("checked_case", "第三步：密封检查与签收"),
        ("handed_case", "第四步：登记接收单位回执"),
    ],
)
def test_the_case_page_shows_the_current_step_whole_or_as_a_fragment(
    archivist: User, request: pytest.FixtureRequest, maker: str, heading: str
) -> None:
    sign_out = request.getfixturevalue(maker)()
    url = reverse("personnel:sign_out", args=[sign_out.pk])
    client = _client(archivist)

    whole = client.get(url).content.decode()
    fragment = client.get(url, **HTMX).content.decode()  # type: ignore[arg-type]

    assert heading in whole
    assert "<html" in whole
    assert heading in fragment
    assert "<html" not in fragment
    assert fragment.startswith('<div id="sign-out-case"')


def test_the_slip_is_printable_only_after_handover(
    archivist: User, checked_case: CaseMaker
) -> None:
    sign_out = checked_case()

    response = _client(archivist).get(
        reverse("personnel:sign_out_print", args=[sign_out.pk])
    )

    assert response.status_code == 404


def test_the_register_page_reads_in_a_fixed_number_of_queries(
    archivist: User,
    handed_case: CaseMaker,
    django_assert_max_num_queries: Any,
) -> None:
    client = _client(archivist)
    handed_case()
    client.get(reverse("personnel:register"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("personnel:register"))
    for _ in range(5):
        handed_case()

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("personnel:register"))

    assert page.content.decode().count("<tr>") == 7


def test_the_file_list_warns_of_overdue_receipts(
    archivist: User, make_file: FileMaker, prop: Property
) -> None:
    file = make_file()
    SignOut.objects.create(
        property=prop,
        file=file,
        requester_kind="self",
        state=SignOutState.HANDED_OVER,
        receipt_due=prop.today() - timedelta(days=2),
        opened_by=archivist,
    )

    page = _client(archivist).get(reverse("personnel:files")).content.decode()

    assert "1 份已提档案的接收单位回执逾期未到。" in page


def test_a_step_sent_twice_says_the_case_moved_on(
    archivist: User, handed_case: CaseMaker, open_case: CaseMaker
) -> None:
    sign_out = handed_case()
    pending = open_case()
    client = _client(archivist)

    again = client.post(
        reverse("personnel:sign_out_hand_over", args=[sign_out.pk]),
        {
            "seal_intact": "on",
            "seam_stamp_intact": "on",
            "acknowledged": "on",
            "acknowledged_name": "张伟",
        },
        **HTMX,  # type: ignore[arg-type]
    )
    listing = client.get(reverse("personnel:files")).content.decode()

    assert "提档已交接，待回执，不能交接" in again.content.decode()
    assert "办理中的提档" in listing
    assert reverse("personnel:sign_out", args=[pending.pk]) in listing
    assert reverse("personnel:sign_out", args=[sign_out.pk]) not in listing


def test_a_case_is_withdrawn_from_the_page_with_a_reason(
    archivist: User, checked_case: CaseMaker
) -> None:
    sign_out = checked_case()
    url = reverse("personnel:sign_out_cancel", args=[sign_out.pk])
    client = _client(archivist)

    empty = client.post(url, {"reason": ""}, **HTMX)  # type: ignore[arg-type]
    done = client.post(url, {"reason": "接收单位撤回调档函"})

    assert SignOut.objects.get().cancel_reason == "接收单位撤回调档函"
    assert "撤销原因" in empty.content.decode()
    assert done.status_code == 302
    assert SignOut.objects.get().state == SignOutState.CANCELLED


@pytest.mark.parametrize(("days", "kept"), [("45", 45), ("0", 30), ("abc", 30)])
def test_the_receipt_period_is_set_from_the_receipts_page(
    archivist: User, prop: Property, days: str, kept: int
) -> None:
    response = _client(archivist).post(
        reverse("personnel:policy"), {"receipt_days": days}, follow=True
    )

    assert receipt_days(prop) == kept
    message = "回执期限已保存" if kept == 45 else "回执期限须为 1 至 365 之间的整数天数"
    assert message in response.content.decode()
