"""The class pages, the API, the command, and the exports that must agree with them."""

import csv
import io
import json
from io import StringIO

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.test import Client

from dossier.classes.models import ClassChange
from dossier.classes.services import class_pin, classes_recompute
from dossier.core.models import AuditEvent
from dossier.guests.models import Guest


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_rows(response) -> list[list[str]]:
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_recompute_button_shows_the_counts(guests, manager):
    response = client_for(manager).post("/classes/recompute/", follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert "已重算 4 位客人：A 类 1，B 类 2，C 类 1" in text
    assert Guest.objects.get(pk=guests["big"].pk).guest_class == "A"


def test_waiter_can_neither_see_the_policy_nor_recompute(guests, waiter):
    client = client_for(waiter)

    assert client.get("/classes/").status_code == 403
    assert client.post("/classes/recompute/").status_code == 403
    assert not ClassChange.objects.exists()


def test_policy_form_refuses_a_below_b_in_chinese(prop, manager):
    response = client_for(manager).post(
        "/classes/",
        {"a_min_spend": "100", "b_min_spend": "200", "a_min_visits": "0",
         "b_min_visits": "0", "window_days": "365"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "A 类年消费下限应高于 B 类下限" in response.content.decode()


def test_pin_from_the_guest_page(guests, manager):
    small = guests["small"]
    client = client_for(manager)

    response = client.post(
        f"/classes/guests/{small.pk}/",
        {"action": "pin", "klass": "A", "reason": "董事长"},
        follow=True,
    )

    assert response.status_code == 200
    assert Guest.objects.get(pk=small.pk).guest_class == "A"
    assert "董事长" in response.content.decode()


def test_pin_without_reason_shows_the_error(guests, manager):
    small = guests["small"]

    response = client_for(manager).post(
        f"/classes/guests/{small.pk}/", {"action": "pin", "klass": "A", "reason": ""}
    )

    assert response.status_code == 200
    assert Guest.objects.get(pk=small.pk).guest_class == "C"
    assert not ClassChange.objects.exists()


def test_card_list_filter_and_export_agree(prop, guests, manager):
    # given classes recomputed and the small spender pinned to A
    classes_recompute(property=prop)
    class_pin(actor=manager, guest=guests["small"], klass="A", reason="贵宾")
    client = client_for(manager)

    # when
    card = client.get(f"/api/v1/guests/{guests['small'].pk}/card").json()
    listed = client.get("/guests/?class=A").context["rows"]
    exported = csv_rows(client.get("/guests/?class=A&export=csv"))

    # then
    assert (card["class"], card["class_pinned"], card["class_pin_reason"]) == (
        "A",
        True,
        "贵宾",
    )
    assert sorted(r["guest"].full_name for r in listed) == ["李大方", "赵少少"]
    heading, *rows = exported
    assert heading[:6] == ["档案号", "姓名", "拼音", "称呼", "客户类别", "人工指定"]
    assert sorted((r[1], r[4], r[5]) for r in rows) == [
        ("李大方", "A", ""),
        ("赵少少", "A", "是"),
    ]
    assert heading[-2:] == ["近一年消费", "近一年消费次数"]
    assert {r[1]: r[-2] for r in rows}["李大方"] == "50000.00"
    event = AuditEvent.objects.get(action="export")
    assert (event.object_type, event.detail["rows"]) == ("guests.list", 2)


def test_export_hides_spend_and_whole_ids_from_those_who_may_not_see_them(
    prop, make_staff
):
    from tests.factories import GuestFactory, resident_id

    GuestFactory(full_name="冯证件", id_numbers=[resident_id()],
                 phones=["13800001234"])  # fmt: skip
    clerk = make_staff("front_office")
    clerk.user_permissions.add(Permission.objects.get(codename="export_guests"))
    clerk = User.objects.get(pk=clerk.pk)

    heading, row = csv_rows(client_for(clerk).get("/guests/?export=csv"))

    assert "近一年消费" not in heading
    assert row[heading.index("手机")] == "138****1234"
    number = row[heading.index("证件号码")]
    assert number != resident_id()
    assert "*" in number


def test_export_is_refused_without_the_permission(guests, waiter):
    assert client_for(waiter).get("/guests/?export=csv").status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_search_results_export_in_rank_order(prop, guests, manager):
    response = client_for(manager).get("/search/?q=李大方&export=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B2"].value == "李大方"
    assert AuditEvent.objects.get(action="export").object_type == "search.results"


def test_api_pin_refuses_without_reason_as_json(guests, manager):
    client = client_for(manager)
    url = f"/api/v1/classes/guests/{guests['small'].pk}/pin"

    response = client.post(url, {"klass": "A", "reason": " "},
                           content_type="application/json")  # fmt: skip

    assert response.status_code == 422
    assert response.json() == {
        "code": "reason_required",
        "message": "请填写原因",
        "field": "reason",
    }


def test_api_recompute_and_read_a_guest(guests, manager):
    client = client_for(manager)

    report = client.post("/api/v1/classes/recompute").json()
    body = client.get(f"/api/v1/classes/guests/{guests['big'].pk}").json()

    assert report["by_class"] == {"A": 1, "B": 2, "C": 1}
    assert (body["klass"], body["annual_spend"], body["visits"]) == ("A", "50000.00", 2)
    assert body["history"][0]["to_class"] == "A"


def test_api_policy_round_trip(prop, manager):
    client = client_for(manager)
    payload = {"a_min_spend": "60000.00", "b_min_spend": "6000.50",
               "a_min_visits": 2, "b_min_visits": 4, "company_is_b": False,
               "window_days": 180}  # fmt: skip

    put = client.put("/api/v1/classes/policy", json.dumps(payload),
                     content_type="application/json")  # fmt: skip
    got = client.get("/api/v1/classes/policy").json()

    assert put.status_code == 200
    assert got == payload


def test_command_recomputes(prop, guests):
    out = StringIO()

    call_command("classes-recompute", stdout=out)

    assert "4 位客人，A 类 1，B 类 2，C 类 1" in out.getvalue()


def test_command_refuses_a_bad_date(prop):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--on 应为 YYYY-MM-DD"):
        call_command("classes-recompute", on="2026-13-01")


def test_quarterly_command_runs_once(prop, guests):
    first, second = StringIO(), StringIO()

    call_command("classes-recompute", quarterly=True, stdout=first)
    call_command("classes-recompute", quarterly=True, stdout=second)

    assert "4 位客人" in first.getvalue()
    assert "本季度已重算，未重复运行" in second.getvalue()


def test_the_policy_page_counts_and_pages_every_pinned_class(prop, manager):
    from dossier.classes.models import GuestClass
    from tests.factories import GuestFactory

    # given 55 pinned classes, more than a page
    for n in range(55):
        GuestClass.objects.create(guest=GuestFactory(full_name=f"王{n:02}"), klass="A",
                                  pinned=True, pin_reason="贵宾")  # fmt: skip
    client = client_for(manager)

    # when
    first = client.get("/classes/").content.decode()
    second = client.get("/classes/", {"page": 2}).content.decode()

    # then
    assert "共 55 位客人" in first
    assert first.count("<td>贵宾</td>") == 50
    assert second.count("<td>贵宾</td>") == 5
