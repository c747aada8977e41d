"""Exports of the settings lists: reminder rules, observation prompts, cost rates and
self-registration links. Each holds the rows its page lists, keeps text that looks like
a formula as text, is audited, and is refused to staff who may not open the page."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dossier.care.models import ReminderRule
from dossier.care.rules import rules_ensure
from dossier.collection.checklists import checklists_seed
from dossier.collection.models import ChecklistItem
from dossier.collection.registrations import link_create
from dossier.core.audit import AuditAction
from dossier.core.models import AuditEvent, Property
from dossier.history.costs import cost_rate_set
from dossier.history.models import Outlet
from tests.conftest import StaffMaker
from tests.exporting import csv_rows, exports_of, xlsx_sheet

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_rules_export_lists_every_rule_of_the_page(
    prop: Property, manager: User
) -> None:
    # given the default rules, one renamed like a formula
    rules = rules_ensure(prop)
    ReminderRule.objects.filter(pk=rules[0].pk).update(name="=生日提醒")
    url = reverse("care:rules")
    client = _client(manager)

    # when they are downloaded and the page is shown
    rows = csv_rows(client.get(url, {"export": "csv"}))
    page = client.get(url).content.decode()

    # then every rule on the page is in the file, the formula as text
    assert rows[0][:3] == ["名称", "类型", "天数"]
    assert len(rows) - 1 == len(rules)
    names = [r[0] for r in rows[1:]]
    assert "'=生日提醒" in names
    assert all(name.lstrip("'") in page for name in names)
    assert exports_of("care.rules")[0].detail == {"format": "csv", "rows": len(rules)}


def test_the_checklist_export_keeps_a_prompt_as_text(
    prop: Property, manager: User
) -> None:
    made = checklists_seed(property=prop)
    first = ChecklistItem.objects.filter(property=prop).first()
    assert first is not None
    ChecklistItem.objects.filter(pk=first.pk).update(label="@枕头软硬")
    url = reverse("collection:checklists")

    sheet = xlsx_sheet(_client(manager).get(url, {"export": "xlsx"}))

    assert sheet.max_row == made + 1
    labels = [sheet.cell(row=r, column=2) for r in range(2, made + 2)]
    assert [c.data_type for c in labels if c.value == "@枕头软硬"] == ["s"]
    assert exports_of("collection.checklists")[0].detail["rows"] == made


def test_the_cost_rates_export_gives_exact_percentages(
    prop: Property, manager: User
) -> None:
    outlet = Outlet.objects.create(property=prop, code="cn", name="中餐厅", kind="fnb")
    cost_rate_set(actor=manager, property=prop, outlet=outlet, category="",
                  cost_percent="38.5", expense_percent="12")  # fmt: skip
    cost_rate_set(actor=manager, property=prop, outlet=outlet, category="-凉菜",
                  cost_percent="30")  # fmt: skip
    url = reverse("analyses:cost_rates")
    client = _client(manager)

    rows = csv_rows(client.get(url, {"export": "csv"}))
    sheet = xlsx_sheet(client.get(url, {"export": "xlsx"}))

    assert rows[1:] == [
        ["中餐厅", "（整个营业点）", "38.50%", "12.00%"],
        ["中餐厅", "'-凉菜", "30.00%", ""],
    ]
    assert sheet["C2"].value == Decimal("38.50")
    assert sheet["B3"].value == "-凉菜"
    assert sheet["B3"].data_type == "s"
    assert [e.detail["rows"] for e in exports_of("history.cost_rates")] == [2, 2]


def test_the_links_export_lists_the_open_links(prop: Property, manager: User) -> None:
    open_link = link_create(actor=manager, property=prop, kind="card", label="+微信群")
    closed = link_create(actor=manager, property=prop, kind="vip", label="旧链接")
    closed.revoked_at = closed.created_at
    closed.save(update_fields=["revoked_at"])
    url = reverse("collection:registrations")
    client = _client(manager)

    page = client.get(url).content.decode()
    rows = csv_rows(client.get(url, {"list": "links", "export": "csv"}))

    assert "list=links&amp;export=csv" in page
    assert [(r[1], r[2]) for r in rows[1:]] == [
        ("'+微信群", reverse("collection:public", args=[open_link.token]))
    ]
    assert rows[1][2] in page
    assert exports_of("collection.registration_links")[0].detail["rows"] == 1


@pytest.mark.parametrize(
    "name",
    [
        "care:rules",
        "collection:checklists",
        "analyses:cost_rates",
        "collection:registrations",
    ],
)
def test_staff_who_may_not_open_a_settings_list_cannot_export_it(
    make_staff: StaffMaker, name: str
) -> None:
    housekeeper = make_staff("housekeeping")

    response = _client(housekeeper).get(reverse(name), {"export": "csv"})

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize(
    "name", ["care:rules", "collection:checklists", "analyses:cost_rates"]
)
def test_each_settings_list_links_its_exports(
    prop: Property, manager: User, name: str
) -> None:
    rules_ensure(prop)
    checklists_seed(property=prop)
    outlet = Outlet.objects.create(property=prop, code="cn", name="中餐厅", kind="fnb")
    cost_rate_set(actor=manager, property=prop, outlet=outlet, category="",
                  cost_percent="38")  # fmt: skip

    page = _client(manager).get(reverse(name)).content.decode()

    assert "export=xlsx" in page
    assert "export=csv" in page


def test_the_cost_rates_page_links_its_exports_with_no_rate_and_the_file_has_its_header(
    manager: User,
) -> None:
    client = _client(manager)
    url = reverse("analyses:cost_rates")

    page = client.get(url).content.decode()
    rows = csv_rows(client.get(url, {"export": "csv"}))

    assert "export=xlsx" in page
    assert "export=csv" in page
    assert rows == [["营业点", "菜品类别", "直接成本率", "经营费用率"]]


def test_a_blank_expense_rate_is_shown_and_exported_empty_not_as_zero(
    prop: Property, manager: User
) -> None:
    outlet = Outlet.objects.create(property=prop, code="cn", name="中餐厅", kind="fnb")
    bar = Outlet.objects.create(property=prop, code="bar", name="大堂吧", kind="fnb")
    client = _client(manager)
    url = reverse("analyses:cost_rates")

    # when one outlet's expense rate is left blank and another's is set to 0
    client.post(url, {"outlet": outlet.pk, "cost_percent": "38", "expense_percent": ""})
    client.post(url, {"outlet": bar.pk, "cost_percent": "30", "expense_percent": "0"})
    page = client.get(url).content.decode()
    rows = csv_rows(client.get(url, {"export": "csv"}))
    sheet = xlsx_sheet(client.get(url, {"export": "xlsx"}))

    # then the blank one reads — on the page and is empty in the files
    assert '<td>38.00%</td><td><span class="muted">—</span></td>' in page
    assert "<td>30.00%</td><td>0.00%</td>" in page
    assert sorted(rows[1:]) == [["中餐厅", "（整个营业点）", "38.00%", ""],
                                ["大堂吧", "（整个营业点）", "30.00%", "0.00%"]]  # fmt: skip
    expense = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=4).value
               for r in (2, 3)}  # fmt: skip
    assert expense == {"中餐厅": None, "大堂吧": 0}
