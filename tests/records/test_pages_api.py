"""The archive pages and API: thin doors over the services."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dossier.core.models import Property
from dossier.records.models import ArchiveClass, Case, CaseStatus, Loan
from tests.records.conftest import FileCase

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "name", ["classes", "codes", "cases", "case_file", "folders", "disposal", "loans"]
)
def test_every_page_opens_for_the_archivist_and_not_for_a_waiter(
    name: str, archivist: User, waiter: User, file_case: FileCase
) -> None:
    file_case()

    assert _client(archivist).get(reverse(f"records:{name}")).status_code == 200
    assert _client(waiter).get(reverse(f"records:{name}")).status_code == 403


def test_the_code_table_page_shows_reserved_codes(
    archivist: User, minor: ArchiveClass
) -> None:
    page = _client(archivist).get(reverse("records:codes")).content.decode()

    assert "供应商合同" in page
    assert "05–99" in page


def test_filing_through_the_form_numbers_the_case(
    archivist: User, minor: ArchiveClass
) -> None:
    response = _client(archivist).post(
        reverse("records:case_file"),
        {
            "archive_class": minor.pk,
            "title": "供应商框架协议",
            "department": "采购部",
            "doc_date": "2025-06-01",
            "retention": "10",
            "body_complete": "on",
            "attachments_complete": "on",
            "formalities_complete": "on",
        },
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.archive_number, case.status) == ("01-02031-01", CaseStatus.FILED)
    detail = _client(archivist).get(response["Location"]).content.decode()
    assert "01-02031-01" in detail
    folder = _client(archivist).get(reverse("records:folder", args=[case.folder_id]))
    assert "供应商框架协议" in folder.content.decode()


def test_a_form_with_a_failed_check_returns_the_case(
    archivist: User, minor: ArchiveClass
) -> None:
    _client(archivist).post(
        reverse("records:case_file"),
        {
            "archive_class": minor.pk,
            "title": "缺件",
            "department": "采购部",
            "body_complete": "on",
            "formalities_complete": "on",
        },
    )

    case = Case.objects.get()
    assert (case.status, case.archive_number) == (CaseStatus.RETURNED, "")


def test_the_api_files_a_case_and_refuses_a_taken_number_with_its_holder(
    archivist: User, minor: ArchiveClass
) -> None:
    client = _client(archivist)
    body = {
        "class_code": "01-0203",
        "title": "接口归档",
        "department": "采购部",
        "doc_date": "2025-06-01",
    }

    first = client.post("/api/v1/records/cases", body, content_type="application/json")
    second = client.post(
        "/api/v1/records/cases", {**body, "item": 1}, content_type="application/json"
    )

    assert first.status_code == 201
    assert first.json()["case"]["archive_number"] == "01-02031-01"
    assert second.status_code == 422
    case_id = first.json()["case"]["id"]
    assert second.json() == {
        "code": "invalid",
        "message": f"档号 01-02031-01 已由案件《接口归档》（#{case_id}，已归档）使用，不能再编给其他案件",
        "reason": "number_taken",
        "field": "item",
    }
    listed = client.get("/api/v1/records/cases").json()
    assert [c["archive_number"] for c in listed] == ["01-02031-01"]


def test_the_api_lends_once_and_says_who_holds_it(
    archivist: User, manager: User, file_case: FileCase, prop: Property
) -> None:
    case = file_case().case
    client = _client(archivist)
    due = (prop.today() + timedelta(days=3)).isoformat()
    body = json.dumps(
        {"borrower": "archivist", "approved_by": "manager", "due_date": due}
    )
    url = f"/api/v1/records/cases/{case.pk}/loans"

    lent = client.post(url, body, content_type="application/json")
    _approve_and_hand_out(lent.json()["id"], archivist=client)
    again = client.post(url, body, content_type="application/json")

    assert (lent.status_code, lent.json()["state"]) == (201, "requested")
    assert again.status_code == 422
    assert again.json()["message"] == (
        f"档案 01-02031-01 已由 archivist 借出，应于 {due} 归还"
    )
    assert Loan.objects.count() == 1


def _approve_and_hand_out(loan_id: int, *, archivist: Client) -> None:
    approver = _client(User.objects.get(username="manager"))
    approved = approver.post(f"/api/v1/records/loans/{loan_id}/approve")
    out = archivist.post(f"/api/v1/records/loans/{loan_id}/hand-out")
    assert (approved.json()["state"], out.json()["state"]) == ("approved", "out")


def test_the_api_hands_out_only_an_approved_loan(
    archivist: User, manager: User, file_case: FileCase, prop: Property
) -> None:
    # given a loan request waiting for the manager
    case = file_case().case
    client = _client(archivist)
    due = (prop.today() + timedelta(days=3)).isoformat()
    body = {"borrower": "archivist", "approved_by": "manager", "due_date": due}
    url = f"/api/v1/records/cases/{case.pk}/loans"
    loan_id = client.post(url, body, content_type="application/json").json()["id"]

    # when the archivist tries to hand it out, then the manager refuses it
    early = client.post(f"/api/v1/records/loans/{loan_id}/hand-out")
    pending = _client(manager).get("/api/v1/records/loans/approvals").json()
    refused = _client(manager).post(
        f"/api/v1/records/loans/{loan_id}/refuse",
        {"reason": "原件正在审计"},
        content_type="application/json",
    )

    # then the hand-out was refused, and the refusal freed the original
    assert (early.status_code, early.json()["message"]) == (
        422,
        "manager 尚未批准，原件不能出库",
    )
    assert pending == [{"id": loan_id, "state": "requested"}]
    assert refused.json() == {"id": loan_id, "state": "refused"}
    assert client.post(url, body, content_type="application/json").status_code == 201


def test_a_waiter_gets_403_from_the_api(waiter: User) -> None:
    assert _client(waiter).get("/api/v1/records/cases").status_code == 403


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("retention_years", -5),
        ("retention_years", 1_000_000),
        ("title", "长" * 5000),
        ("department", "部" * 500),
        ("doc_date", "0001-01-01"),
    ],
)
def test_values_no_case_can_have_are_a_422(
    archivist: User, minor: ArchiveClass, field: str, value: object
) -> None:
    client = _client(archivist)
    body = {"class_code": "01-0203", "title": "合同", "department": "采购部"}

    response = client.post(
        "/api/v1/records/cases",
        json.dumps({**body, field: value}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert Case.objects.count() == 0


def test_a_returned_original_can_be_lent_again(
    archivist: User, manager: User, file_case: FileCase, prop: Property
) -> None:
    # given a case on loan
    case = file_case().case
    client = _client(archivist)
    due = (prop.today() + timedelta(days=3)).isoformat()
    body = json.dumps(
        {"borrower": "archivist", "approved_by": "manager", "due_date": due}
    )
    url = f"/api/v1/records/cases/{case.pk}/loans"
    first = client.post(url, body, content_type="application/json").json()["id"]
    _approve_and_hand_out(first, archivist=client)

    # when it comes back through the API, incomplete without a note, then complete
    incomplete = client.post(
        f"/api/v1/records/loans/{first}/return",
        json.dumps({"complete": False}),
        content_type="application/json",
    )
    returned = client.post(
        f"/api/v1/records/loans/{first}/return", "{}", content_type="application/json"
    )
    twice = client.post(
        f"/api/v1/records/loans/{first}/return", "{}", content_type="application/json"
    )

    # then an incomplete return needs its note, the original is back, and it lends again
    assert (incomplete.status_code, returned.status_code) == (422, 200)
    assert twice.status_code == 404
    assert Loan.objects.get(pk=first).returned_at is not None
    assert client.post(url, body, content_type="application/json").status_code == 201


def test_the_loans_page_checks_an_original_back_in(
    archivist: User, manager: User, file_case: FileCase, prop: Property
) -> None:
    case = file_case().case
    client = _client(archivist)
    due = (prop.today() + timedelta(days=3)).isoformat()
    client.post(
        f"/api/v1/records/cases/{case.pk}/loans",
        json.dumps(
            {"borrower": "archivist", "approved_by": "manager", "due_date": due}
        ),
        content_type="application/json",
    )
    loan = Loan.objects.get()
    _approve_and_hand_out(loan.pk, archivist=client)
    assert "归还点收" in client.get(reverse("records:loans")).content.decode()

    response = client.post(reverse("records:loan_return", args=[loan.pk]))

    assert response.status_code == 302
    loan.refresh_from_db()
    assert (loan.returned_at is not None, loan.return_checked_by) == (True, archivist)
