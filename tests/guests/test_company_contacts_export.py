"""A company's contacts export as its page lists them: honorific, name, title and the
mobile masked as on screen; only for those who may export guests; audited."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dossier.core.models import Property
from dossier.guests.models import Company
from tests.conftest import StaffMaker
from tests.exporting import csv_rows, exports_of, xlsx_sheet
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_companys_contacts_export_as_on_screen_masked_and_audited(
    prop: Property, manager: User, make_staff: StaffMaker
) -> None:
    # given a company with two contacts and a guest of another company
    company = Company.objects.create(property=prop, name="华晟科技有限公司")
    other = Company.objects.create(property=prop, name="远洋贸易")
    zhang = GuestFactory(full_name="张伟", gender="M", company=company, title="=总经理",
                         phones=["13812345678"])  # fmt: skip
    li = GuestFactory(full_name="李娜", gender="F", company=company)
    GuestFactory(full_name="王芳", gender="F", company=other)
    url = f"/guests/companies/{company.pk}/"
    client = _client(manager)

    # when the manager reads the page and downloads its contacts
    page = client.get(url).content.decode()
    rows = csv_rows(client.get(url, {"export": "csv", "page": "2"}))
    sheet = xlsx_sheet(client.get(url, {"export": "xlsx"}))
    refused = _client(make_staff("front_office")).get(url, {"export": "csv"})

    # then each contact is a row as on the page, the mobile masked
    assert rows[0] == ["档案号", "称呼", "姓名", "职务", "手机"]
    assert [r[2:] for r in rows[1:]] == [
        ["李娜", "", ""],
        ["张伟", "'=总经理", "138****5678"],
    ]
    assert [r[0] for r in rows[1:]] == [str(li.pk), str(zhang.pk)]
    assert all(r[1] in page for r in rows[1:])
    assert "138****5678" in page
    assert "13812345678" not in "".join(",".join(r) for r in rows)
    assert sheet["D3"].value == "=总经理"
    assert sheet["D3"].data_type == "s"
    assert "export=csv" in page
    assert refused.status_code == 403
    exports = exports_of("guests.company_contacts")
    assert [(e.detail["rows"], e.detail["company"]) for e in exports] == [
        (2, company.pk),
        (2, company.pk),
    ]
