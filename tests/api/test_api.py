"""The API: the card as JSON, token and session auth, JSON errors, PMS/POS pushes."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dossier.api.auth import token_create
from dossier.core.models import ApiToken
from dossier.guests.models import Guest
from dossier.history.models import Bill, SpendLine, Stay
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db

CARD_KEYS = {
    "id",
    "name",
    "honorific",
    "class",
    "vip",
    "alerts",
    "preferences",
    "upcoming_dates",
    "recent_visits",
    "mobile_masked",
    "id_number_masked",
}


@pytest.fixture
def nana(prop):
    return GuestFactory(full_name="欧阳娜娜", gender="F", phones=["13800004444"])


def bearer(user):
    _, key = token_create(user=user, name="PMS")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_card_by_token(nana, manager):
    response = bearer(manager).get(f"/api/v1/guests/{nana.pk}/card")

    assert response.status_code == 200
    card = response.json()
    assert set(card) >= CARD_KEYS
    assert (card["honorific"], card["mobile_masked"]) == ("欧阳女士", "138****4444")
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_brings_its_users_staff_profile_and_property(nana, manager):
    # given an integration's token
    client = bearer(manager)

    # when it looks a guest up
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/guests/lookup", {"q": "13800004444"})

    # then the property is read with the token, not on its own
    assert [m["id"] for m in response.json()["matches"]] == [nana.pk]
    alone = [q["sql"] for q in queries if 'FROM "core_property"' in q["sql"]]
    assert alone == []


def test_card_by_session(nana, waiter):
    client = Client()
    client.force_login(waiter)

    assert client.get(f"/api/v1/guests/{nana.pk}/card").json()["name"] == "欧阳娜娜"


def test_errors_are_json_with_a_code(nana, manager):
    anonymous = Client().get(f"/api/v1/guests/{nana.pk}/card")
    missing = bearer(manager).get("/api/v1/guests/999999/card")
    bad_token = Client(headers={"Authorization": "Bearer nope"}).get(
        f"/api/v1/guests/{nana.pk}/card"
    )

    assert (anonymous.status_code, anonymous.json()["code"]) == (
        401,
        "not_authenticated",
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert missing.json()["message"] == "找不到该记录"
    assert bad_token.status_code == 401


def test_a_revoked_token_is_refused(nana, manager):
    client = bearer(manager)
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")

    assert client.get(f"/api/v1/guests/{nana.pk}/card").status_code == 401


def test_lookup_endpoint(nana, manager):
    response = bearer(manager).get("/api/v1/guests/lookup", {"q": "4444"})

    assert [m["id"] for m in response.json()["matches"]] == [nana.pk]


def test_create_a_guest_and_refuse_a_bad_id(manager):
    client = bearer(manager)

    created = client.post(
        "/api/v1/guests",
        json.dumps(
            {
                "full_name": "司马光明",
                "mobile": ["13900001111"],
                "id_number": "11010519491231002X",
            }
        ),
        content_type="application/json",
    )
    refused = client.post(
        "/api/v1/guests",
        json.dumps({"full_name": "张三", "id_number": "110105194912310021"}),
        content_type="application/json",
    )

    assert created.status_code == 201
    assert created.json()["honorific"] == "司马女士"
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid"
    assert refused.json()["field"] == "id_number"
    assert "校验" in refused.json()["message"]


def test_a_waiter_cannot_create_guests(waiter):
    response = bearer(waiter).post(
        "/api/v1/guests",
        json.dumps({"full_name": "张三"}),
        content_type="application/json",
    )

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_pms_pushes_a_stay_twice_and_it_is_one_stay(nana, manager):
    client = bearer(manager)
    payload = {
        "guest_id": nana.pk,
        "external_ref": "PMS-1",
        "room": "0812",
        "arrival": "2026-11-01",
        "departure": "2026-11-03",
        "rate": "688.00",
        "revenue": "1376.00",
    }

    statuses = [
        client.post(
            "/api/v1/stays", json.dumps(payload), content_type="application/json"
        ).status_code
        for _ in range(2)
    ]

    assert statuses == [201, 200]
    stay = Stay.objects.get()
    assert (stay.nights, stay.room) == (2, "0812")
    assert [str(s.revenue) for s in SpendLine.objects.all()] == ["1376.00"]


def test_pos_pushes_a_bill(nana, manager):
    payload = {
        "guest_id": nana.pk,
        "external_ref": "POS-9",
        "opened_at": "2026-11-01T12:30:00+08:00",
        "table": "A8",
        "covers": 4,
        "lines": [
            {"dish": "清蒸\n石斑鱼", "quantity": "1", "unit_price": "268.00"},
            {"dish": "米饭", "quantity": "4", "unit_price": "3.00"},
        ],
    }

    response = bearer(manager).post(
        "/api/v1/bills", json.dumps(payload), content_type="application/json"
    )

    assert response.status_code == 201
    bill = Bill.objects.get()
    assert str(bill.total) == "280.00"
    assert sorted(bill.lines.values_list("dish__name", flat=True)) == [
        "清蒸石斑鱼",
        "米饭",
    ]


def test_openapi_document(manager):
    client = Client()
    client.force_login(manager)

    schema = client.get("/api/v1/openapi.json").json()

    assert "/api/v1/guests/{guest_id}/card" in schema["paths"]


def test_cli_lookup_json(nana):
    out = StringIO()

    call_command("lookup", "4444", "--json", stdout=out)

    matches = json.loads(out.getvalue())["matches"]
    assert [(m["id"], m["honorific"]) for m in matches] == [(nana.pk, "欧阳女士")]
    assert set(matches[0]) >= CARD_KEYS


def test_cli_lookup_text(nana):
    out = StringIO()

    call_command("lookup", "ouyang", stdout=out)

    assert "欧阳女士" in out.getvalue()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"full_name": "x", "usual_rate": "1e30"}, "usual_rate"),
        ({"full_name": "x", "usual_rate": "99999999999999999"}, "usual_rate"),
        ({"full_name": "x", "usual_rate": "1.005"}, "usual_rate"),
    ],
)
def test_amounts_out_of_range_are_a_json_422(manager, payload, field):
    response = bearer(manager).post(
        "/api/v1/guests", json.dumps(payload), content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert field in json.dumps(response.json()["errors"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"full_name": "测试", "birth_date": "9999-12-31"}, "birth_date"),
        ({"full_name": "测试", "birth_date": "1850-01-01"}, "birth_date"),
        ({"full_name": "测试", "email": "notanemail"}, "email"),
    ],
)
def test_implausible_values_are_refused(manager, payload, field):
    response = bearer(manager).post(
        "/api/v1/guests", json.dumps(payload), content_type="application/json"
    )

    assert (response.status_code, response.json()["field"]) == (422, field)
    assert Guest.objects.count() == 0


def test_unparseable_json_is_a_json_400(manager):
    response = bearer(manager).post(
        "/api/v1/guests", "{bad json", content_type="application/json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"code", "message"}
    assert response.json()["code"] == "invalid"


def test_a_post_with_a_wrong_token_is_401_not_a_csrf_403():
    response = Client(headers={"Authorization": "Bearer wrong"}).post(
        "/api/v1/guests",
        json.dumps({"full_name": "x"}),
        content_type="application/json",
    )

    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_a_session_post_without_csrf_token_is_refused(waiter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(waiter)

    response = client.post(
        "/api/v1/guests",
        json.dumps({"full_name": "x"}),
        content_type="application/json",
    )

    assert (response.status_code, response.json()["code"]) == (403, "csrf_failed")
    assert "X-CSRFToken" in response.json()["message"]


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_the_api_docs_are_for_staff_logged_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_api_docs_load_their_scripts_from_this_server(client, manager):
    client.force_login(manager)
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr.net" not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"birth_date": "1990-01-01"}, "birth_date",
         "出生日期与身份证号不符：身份证为 1985-11-12"),
        ({"gender": "M"}, "gender", "性别与身份证号不符：身份证为女"),
    ],
)  # fmt: skip
def test_a_birth_date_or_gender_contradicting_the_id_is_refused(
    manager, extra, field, message
):
    # given the ID of a woman born 1985-11-12; when it comes with another date or 男
    payload = {"full_name": "王芳", "id_number": "310104198511120048", **extra}
    response = bearer(manager).post(
        "/api/v1/guests", json.dumps(payload), content_type="application/json"
    )

    # then it is refused, naming the field and what the ID says
    body = response.json()
    assert (response.status_code, body["field"], body["message"]) == (
        422,
        field,
        message,
    )
    assert Guest.objects.filter(full_name="王芳").count() == 0


def _stay(guest_id, **values):
    return {"guest_id": guest_id, "external_ref": "PMS-7", "arrival": "2026-11-01",
            "departure": "2026-11-03", **values}  # fmt: skip


def _bill(guest_id, line=None, **values):
    line = {"dish": "米饭", "unit_price": "3.00", **(line or {})}
    return {"guest_id": guest_id, "external_ref": "POS-7",
            "opened_at": "2026-11-01T12:30:00+08:00", "lines": [line], **values}  # fmt: skip


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/api/v1/guests", lambda _: {"full_name": "长" * 101}, "full_name"),
        ("/api/v1/guests", lambda _: {"full_name": "王五", "surname": "王" * 41},
         "surname"),
        ("/api/v1/guests", lambda _: {"full_name": "王五", "title": "总" * 101},
         "title"),
        ("/api/v1/guests", lambda _: {"full_name": "王五", "employer": "司" * 201},
         "employer"),
        ("/api/v1/guests", lambda _: {"full_name": "王五", "gender": "X"}, "gender"),
        ("/api/v1/guests", lambda _: {"full_name": "王五", "gender": "XY"}, "gender"),
        ("/api/v1/guests", lambda _: {"full_name": "王五", "usual_rate": "-5"},
         "usual_rate"),
        ("/api/v1/guests", lambda _: {"full_name": "王五", "id_type": "card",
                                      "id_number": "E12345678"}, "id_type"),
        ("/api/v1/stays", lambda g: _stay(g, room="8" * 17), "room"),
        ("/api/v1/stays", lambda g: _stay(g, external_ref="R" * 65), "external_ref"),
        ("/api/v1/stays", lambda g: _stay(g, room_type="房" * 41), "room_type"),
        ("/api/v1/stays", lambda g: _stay(g, channel="渠" * 61), "channel"),
        ("/api/v1/bills", lambda g: _bill(g, outlet="厅" * 33), "outlet"),
        ("/api/v1/bills", lambda g: _bill(g, table="T" * 21), "table"),
        ("/api/v1/bills", lambda g: _bill(g, {"dish": "菜" * 101}), "dish"),
        ("/api/v1/bills", lambda g: _bill(g, {"rating": "great"}), "rating"),
    ],
)  # fmt: skip
def test_a_push_longer_than_its_column_or_not_a_choice_is_a_422_naming_it(
    nana, manager, path, payload, field
):
    # given a value the database column cannot hold, or not one of the choices
    body = json.dumps(payload(nana.pk))

    # when an integration pushes it
    response = bearer(manager).post(path, body, content_type="application/json")

    # then it is refused naming the field, and nothing is written
    refusal = response.json()
    assert (response.status_code, refusal.get("code")) == (422, "invalid")
    assert refusal.get("field") == field or f"{field} " in refusal["message"]
    assert (Guest.objects.count(), Stay.objects.count(), Bill.objects.count()) == (
        1,
        0,
        0,
    )
