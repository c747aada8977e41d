"""The banquet menu page on a 390 px phone, evaluated from the keyboard."""

from typing import Any

import pytest

from dossier.banquets.models import MenuDish
from dossier.banquets.services import menu_dish_add
from tests.banquets.conftest import past
from tests.collection.phone import fits_phone, phone, phone_browser  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_dish_is_evaluated_with_the_keyboard_on_a_phone(
    live_server: Any,
    phone: Any,  # noqa: F811
    banqueting: Any,
    zhang: Any,
) -> None:
    from dossier.banquets.services import MenuInput, menu_create

    menu = menu_create(
        actor=banqueting,
        guest=zhang,
        data=MenuInput(event_date=past(1), occasion="寿宴"),
    )
    menu_dish_add(
        actor=banqueting, menu=menu, name="宫保鸡丁", ingredients="鸡肉、花生"
    )
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("input[name=username]", "banqueting")
    phone.fill("input[name=password]", "pw-Dossier-1")
    phone.press("input[name=password]", "Enter")
    phone.wait_for_url(f"{live_server.url}/")

    phone.goto(f"{live_server.url}/banquets/menus/{menu.pk}/")
    fits = fits_phone(phone)
    phone.focus("input[name=evaluation][value=left_over]")
    phone.keyboard.press("Space")
    phone.keyboard.press("Tab")
    phone.keyboard.type("剩了一半")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("text=已记录")

    assert fits
    assert "过敏：花生" in phone.locator("main").inner_text()
    line = MenuDish.objects.get()
    assert (line.evaluation, line.evaluation_note) == ("left_over", "剩了一半")
