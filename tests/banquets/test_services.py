from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from dossier.banquets.errors import BanquetError
from dossier.banquets.models import BanquetMenu, DishIngredients, MenuDish
from dossier.banquets.services import (
    MenuInput,
    dish_evaluate,
    menu_create,
    menu_dish_add,
    menu_dish_remove,
    tags_parse,
)
from dossier.core.models import AuditEvent
from dossier.guests.models import Company, Guest
from dossier.history.models import Dish

pytestmark = pytest.mark.django_db


def test_a_menu_keeps_the_event_with_the_price_in_exact_fen(
    banqueting: User, zhang: Guest
) -> None:
    # when
    menu = menu_create(
        actor=banqueting,
        guest=zhang,
        data=MenuInput(
            event_date=date(2026, 12, 1),
            occasion="六十大寿",
            tables=3,
            covers=30,
            price_per_table="2888.80",
        ),
    )

    # then
    menu.refresh_from_db()
    assert menu.price_per_table == Decimal("2888.80")
    assert BanquetMenu.objects.filter(pk=menu.pk).values_list(
        "price_per_table", flat=True
    ).get() == Decimal("2888.80")
    assert (menu.guest, menu.company, menu.tables, menu.covers) == (zhang, None, 3, 30)
    assert AuditEvent.objects.filter(action="banquet.menu_created").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"occasion": " "}, "occasion", "请填写宴会主题（如寿宴、商务宴请）"),
        ({"tables": 0}, "tables", "应在 1 到 500 之间"),
        ({"covers": -1}, "covers", "应在 0 到 10000 之间"),
        (
            {"price_per_table": "12.345"},
            "price_per_table",
            "每桌价格“12.345”不是有效金额（元，最多两位小数）",
        ),
        ({"price_per_table": "-5"}, "price_per_table", "每桌价格不能为负数"),
    ],
)
def test_bad_event_details_are_refused_with_the_field_named(
    banqueting: User, zhang: Guest, changes: dict[str, object], field: str, message: str
) -> None:
    values: dict[str, object] = {"event_date": date(2026, 12, 1), "occasion": "寿宴"}
    values.update(changes)

    with pytest.raises(BanquetError) as caught:
        menu_create(actor=banqueting, guest=zhang, data=MenuInput(**values))  # type: ignore[arg-type]

    assert (caught.value.field, caught.value.message) == (field, message)
    assert BanquetMenu.objects.count() == 0


def test_a_menu_belongs_to_exactly_one_guest_or_company(
    banqueting: User, zhang: Guest, acme: Company
) -> None:
    data = MenuInput(event_date=date(2026, 12, 1), occasion="答谢宴")

    with pytest.raises(BanquetError, match="一位客人或一个单位"):
        menu_create(actor=banqueting, guest=zhang, company=acme, data=data)
    with pytest.raises(BanquetError, match="一位客人或一个单位"):
        menu_create(actor=banqueting, data=data)

    assert BanquetMenu.objects.count() == 0


def test_a_dish_not_in_the_dish_list_is_added_by_name_with_its_ingredients(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    menu = make_menu(zhang, days_ago=1, occasion="家宴")

    line = menu_dish_add(
        actor=banqueting, menu=menu, name=" 宫保  虾球 ", ingredients="虾、花生，辣椒"
    )

    dish = Dish.objects.get(property=zhang.property, name="宫保 虾球")
    assert line.dish == dish
    assert DishIngredients.objects.get(dish=dish).tags == ["虾", "花生", "辣椒"]


def test_the_same_dish_twice_on_a_menu_is_refused(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    menu = make_menu(zhang, days_ago=1, occasion="家宴")
    menu_dish_add(actor=banqueting, menu=menu, name="清蒸石斑鱼")

    with pytest.raises(BanquetError, match="“清蒸石斑鱼”已在菜单上"):
        menu_dish_add(actor=banqueting, menu=menu, name="清蒸石斑鱼")

    assert MenuDish.objects.filter(menu=menu).count() == 1


def test_an_evaluation_records_who_and_when(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    menu = make_menu(zhang, days_ago=1, occasion="家宴")
    line = menu_dish_add(actor=banqueting, menu=menu, name="佛跳墙")

    judged = dish_evaluate(
        actor=banqueting, line=line, evaluation="left_over", note="剩了一半"
    )

    assert (judged.evaluation, judged.evaluation_note) == ("left_over", "剩了一半")
    assert judged.evaluated_by == banqueting
    assert judged.evaluated_at is not None
    event = AuditEvent.objects.get(action="banquet.dish_evaluated")
    assert event.detail == {"dish": "佛跳墙", "before": "", "after": "left_over"}


def test_an_event_still_to_come_cannot_be_evaluated(
    banqueting: User, zhang: Guest
) -> None:
    menu = menu_create(
        actor=banqueting,
        guest=zhang,
        data=MenuInput(
            event_date=zhang.property.today() + timedelta(days=3), occasion="婚宴"
        ),
    )
    line = menu_dish_add(actor=banqueting, menu=menu, name="佛跳墙")

    with pytest.raises(BanquetError, match="宴会尚未举行"):
        dish_evaluate(actor=banqueting, line=line, evaluation="liked")

    line.refresh_from_db()
    assert line.evaluation == ""


def test_an_unknown_evaluation_is_refused(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    line = menu_dish_add(
        actor=banqueting,
        menu=make_menu(zhang, days_ago=1, occasion="家宴"),
        name="鲍鱼",
    )

    with pytest.raises(BanquetError) as caught:
        dish_evaluate(actor=banqueting, line=line, evaluation="great")

    assert caught.value.field == "evaluation"


def test_an_evaluated_dish_stays_on_the_menu_as_evidence(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    line = menu_dish_add(
        actor=banqueting,
        menu=make_menu(zhang, days_ago=1, occasion="家宴"),
        name="鲍鱼",
    )
    dish_evaluate(actor=banqueting, line=line, evaluation="disliked")

    with pytest.raises(BanquetError, match="已评价的菜品不能移除"):
        menu_dish_remove(actor=banqueting, line=line)

    assert MenuDish.objects.filter(pk=line.pk).exists()


def test_tags_are_trimmed_and_kept_once() -> None:
    assert tags_parse("花生、 虾,花生;；芝麻 ") == ["花生", "虾", "芝麻"]
    with pytest.raises(BanquetError, match="过长"):
        tags_parse("一" * 21)
