"""On a 390 px phone: the quick observation form, the guest's own card, the dashboard."""

from typing import Any

import pytest

from dossier.collection.models import Registration
from dossier.collection.registrations import link_create
from dossier.guests.models import Observation
from tests.collection.phone import fits_phone, phone, phone_browser  # noqa: F401
from tests.factories import GuestFactory, add_stay

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-Dossier-1")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{url}/")


def test_a_housekeeper_records_tea_by_room_number_on_a_phone(
    live_server: Any,
    phone: Any,  # noqa: F811
    make_staff: Any,
) -> None:
    # given a housekeeper and a guest in room 1208
    make_staff("housekeeping", username="maid")
    guest = GuestFactory(full_name="陈静")
    add_stay(guest, days_ago=0, nights=3, room="1208", status="in_house")
    log_in(phone, live_server.url, "maid")

    # when she finds the room, taps the tea prompt, taps 绿茶 and saves
    phone.goto(f"{live_server.url}/collection/quick/")
    phone.fill("#quick-q", "1208")
    phone.press("#quick-q", "Enter")
    phone.click("a.quick-guest")
    phone.wait_for_url("**/collection/quick/*/")
    assert fits_phone(phone)
    prompt = phone.locator("summary", has_text="茶杯中的茶叶")
    height = prompt.bounding_box()["height"]
    prompt.click()
    phone.locator("label.tap", has_text="绿茶").click()
    phone.click(".quick-submit button")
    phone.wait_for_url("**/collection/quick/")

    # then one observation waits for review, and every target was big enough
    assert height >= 44
    assert Observation.objects.get().text == "茶杯中的茶叶：绿茶"


def test_a_guest_fills_the_vip_form_on_a_phone_without_logging_in(
    live_server: Any,
    phone: Any,  # noqa: F811
    make_staff: Any,
) -> None:
    clerk = make_staff("front_office", username="clerk")
    link = link_create(actor=clerk, property=clerk.staff.property, kind="vip")

    phone.goto(f"{live_server.url}/collection/r/{link.token}/")
    assert fits_phone(phone)
    phone.fill("#id_full_name", "李雷")
    phone.fill("#id_mobile", "139 1234 5678")
    phone.fill("#id_birth_date", "1988-08-08")
    phone.click("button[type=submit]")
    phone.wait_for_selector("text=工作人员确认后即可生效")

    assert Registration.objects.get().mobile == "+8613912345678"


def test_the_quota_dashboard_fits_a_phone(
    live_server: Any,
    phone: Any,  # noqa: F811
    make_staff: Any,
) -> None:
    make_staff("management", username="boss")
    make_staff("housekeeping", username="maid")
    log_in(phone, live_server.url, "boss")

    phone.goto(f"{live_server.url}/collection/quotas/")

    assert "客房部" in phone.locator("main").inner_text()
    assert fits_phone(phone)
