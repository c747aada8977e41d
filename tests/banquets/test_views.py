import json

import pytest
from django.contrib.auth.models import User

from dossier.banquets.models import BanquetMenu, MenuDish
from dossier.banquets.services import dish_evaluate, menu_dish_add
from dossier.guests.models import Company, Guest
from tests.banquets.conftest import logged_in, past
from tests.conftest import StaffMaker

pytestmark = pytest.mark.django_db


def test_the_guest_menus_page_drafts_a_menu(banqueting: User, zhang: Guest) -> None:
    client = logged_in(banqueting)

    response = client.post(
        f"/banquets/guest/{zhang.pk}/",
        {
            "event_date": "2026-11-20",
            "occasion": "六十大寿",
            "tables": "3",
            "covers": "30",
            "price_per_table": "2888",
        },
    )

    menu = BanquetMenu.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/banquets/menus/{menu.pk}/"
    assert str(menu.price_per_table) == "2888.00"


def test_a_bad_price_is_shown_next_to_its_field(banqueting: User, zhang: Guest) -> None:
    client = logged_in(banqueting)

    response = client.post(
        f"/banquets/guest/{zhang.pk}/",
        {"event_date": "2026-11-20", "occasion": "寿宴", "tables": "1", "covers": "0",
         "price_per_table": "1,2.3.4"},
    )  # fmt: skip

    assert response.status_code == 200
    assert (
        "每桌价格“1,2.3.4”不是有效金额（元，最多两位小数）" in response.content.decode()
    )
    assert BanquetMenu.objects.count() == 0


def test_the_menu_page_flags_a_dish_that_clashes_and_offers_what_pleased(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    old = make_menu(zhang, days_ago=40, occasion="公司年会")
    liked = menu_dish_add(actor=banqueting, menu=old, name="东坡肉")
    dish_evaluate(actor=banqueting, line=liked, evaluation="liked")
    menu = make_menu(zhang, days_ago=0, occasion="六十大寿")
    client = logged_in(banqueting)

    response = client.post(
        f"/banquets/menus/{menu.pk}/", {"name": "宫保鸡丁", "ingredients": "鸡肉、花生"}
    )
    page = client.get(f"/banquets/menus/{menu.pk}/").content.decode()

    assert response.status_code == 302
    assert "与禁忌冲突" in page
    assert "过敏：花生" in page
    assert "东坡肉" in page
    assert "公司年会" in page


def test_evaluating_through_the_page(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    line = menu_dish_add(
        actor=banqueting,
        menu=make_menu(zhang, days_ago=1, occasion="家宴"),
        name="鲍鱼",
    )

    response = logged_in(banqueting).post(
        f"/banquets/dishes/{line.pk}/evaluate/", {"evaluation": "liked", "note": "再点"}
    )

    line.refresh_from_db()
    assert response.status_code == 302
    assert (line.evaluation, line.evaluation_note) == ("liked", "再点")


def test_the_printable_menu_lists_the_dishes(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    menu = make_menu(zhang, days_ago=1, occasion="家宴")
    menu_dish_add(actor=banqueting, menu=menu, name="佛跳墙", ingredients="鲍鱼、海参")

    page = logged_in(banqueting).get(f"/banquets/menus/{menu.pk}/print/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "佛跳墙" in text
    assert "含鲍鱼、海参" in text
    assert "@media print" in text


def test_housekeeping_can_neither_see_nor_draft_menus(
    make_staff: StaffMaker, zhang: Guest
) -> None:
    client = logged_in(make_staff("housekeeping"))

    assert client.get(f"/banquets/guest/{zhang.pk}/").status_code == 403
    assert client.post(f"/banquets/guest/{zhang.pk}/", {}).status_code == 403
    assert BanquetMenu.objects.count() == 0


def test_the_company_page_of_menus(banqueting: User, acme: Company) -> None:
    page = logged_in(banqueting).get(f"/banquets/company/{acme.pk}/")

    assert page.status_code == 200
    assert "华东机电有限公司的宴会菜单" in page.content.decode()


def test_api_drafts_adds_evaluates_and_proposes(banqueting: User, zhang: Guest) -> None:
    client = logged_in(banqueting)

    created = client.post(
        "/api/v1/banquets/menus",
        json.dumps({"guest_id": zhang.pk, "event_date": str(past(2)), "occasion": "寿宴",
                    "tables": 2, "price_per_table": "1999.90"}),
        content_type="application/json",
    )  # fmt: skip
    menu_id = created.json()["id"]
    added = client.post(
        f"/api/v1/banquets/menus/{menu_id}/dishes",
        json.dumps({"name": "清蒸石斑鱼", "ingredients": ["石斑鱼"]}),
        content_type="application/json",
    )
    judged = client.post(
        f"/api/v1/banquets/menus/{menu_id}/dishes/{added.json()['id']}/evaluation",
        json.dumps({"evaluation": "liked", "note": "很满意"}),
        content_type="application/json",
    )
    proposals = client.get(f"/api/v1/banquets/proposals?guest_id={zhang.pk}")

    assert created.status_code == 201
    assert created.json()["price_per_table"] == "1999.90"
    assert added.status_code == 201
    assert judged.json()["evaluation"] == "liked"
    assert judged.json()["evaluated_by"] == "banqueting"
    assert proposals.json()["proposed"][0]["dish"] == "清蒸石斑鱼"
    assert proposals.json()["proposed"][0]["evidence"][0]["occasion"] == "寿宴"
    assert proposals.json()["taboos"] == [{"term": "花生", "source": "过敏"}]


def test_api_errors_are_json_with_the_field(banqueting: User, zhang: Guest) -> None:
    client = logged_in(banqueting)

    response = client.post(
        "/api/v1/banquets/menus",
        json.dumps({"guest_id": zhang.pk, "event_date": "2026-11-01", "occasion": " "}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["field"] == "occasion"
    assert response.json()["message"] == "请填写宴会主题（如寿宴、商务宴请）"


def test_api_refuses_roles_without_the_permission(
    make_staff: StaffMaker, zhang: Guest
) -> None:
    client = logged_in(make_staff("housekeeping"))

    response = client.get(f"/api/v1/banquets/menus?guest_id={zhang.pk}")

    assert response.status_code == 403
    assert MenuDish.objects.count() == 0


def test_editing_the_event_of_a_menu(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    menu = make_menu(zhang, days_ago=3, occasion="家宴")

    response = logged_in(banqueting).post(
        f"/banquets/menus/{menu.pk}/edit/",
        {"event_date": "2026-11-28", "occasion": "家宴（改期）", "tables": "4",
         "covers": "40", "price_per_table": "1688.00"},
    )  # fmt: skip

    menu.refresh_from_db()
    assert response.status_code == 302
    assert (menu.occasion, menu.tables, str(menu.price_per_table)) == (
        "家宴（改期）",
        4,
        "1688.00",
    )


def test_api_drafts_a_company_menu_and_names_an_unknown_outlet(
    banqueting: User, acme: Company
) -> None:
    client = logged_in(banqueting)
    body = {"company_id": acme.pk, "event_date": "2026-12-20", "occasion": "年终答谢宴"}

    created = client.post(
        "/api/v1/banquets/menus", json.dumps(body), content_type="application/json"
    )
    refused = client.post(
        "/api/v1/banquets/menus",
        json.dumps({**body, "outlet": "nowhere"}),
        content_type="application/json",
    )
    listed = client.get(f"/api/v1/banquets/menus?company_id={acme.pk}")

    assert created.status_code == 201
    assert created.json()["company_id"] == acme.pk
    assert refused.status_code == 422
    assert refused.json()["message"] == "没有代码为“nowhere”的餐厅"
    assert [m["occasion"] for m in listed.json()] == ["年终答谢宴"]


def test_the_guest_and_company_pages_link_to_their_menus(
    banqueting: User, zhang: Guest, acme: Company
) -> None:
    client = logged_in(banqueting)

    guest_page = client.get(f"/guests/{zhang.pk}/").content.decode()
    company_page = client.get(f"/guests/companies/{acme.pk}/").content.decode()

    assert f'href="/banquets/guest/{zhang.pk}/"' in guest_page
    assert f'href="/banquets/company/{acme.pk}/"' in company_page


def test_the_menus_of_a_guest_export_dish_by_dish(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    # given a past menu with a liked dish whose note looks like a formula
    old = make_menu(zhang, days_ago=40, occasion="公司年会")
    liked = menu_dish_add(actor=banqueting, menu=old, name="东坡肉")
    dish_evaluate(actor=banqueting, line=liked, evaluation="liked", note="+再来一份")
    client = logged_in(banqueting)

    # when
    response = client.get(f"/banquets/guest/{zhang.pk}/?export=csv")

    # then
    lines = response.content.decode("utf-8-sig").splitlines()
    assert response.content.startswith("\ufeff".encode())
    assert lines[0] == "宴会日期,宴会主题,营业点,桌数,人数,菜品,评价,评价说明"
    assert lines[1].split(",")[1:] == ["公司年会", "", "2", "20", "东坡肉", "喜欢",
                                       "'+再来一份"]  # fmt: skip
