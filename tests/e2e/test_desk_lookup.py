"""At the desk: log in, type a mobile's last four digits, open the card, greet the guest."""

import pytest

from tests.factories import GuestFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lookup_by_mobile_tail_opens_the_card(live_server, page, make_staff):
    # given a front-desk clerk and a guest with a peanut allergy
    make_staff("front_office", username="clerk")
    GuestFactory(full_name="欧阳娜娜", gender="F", phones=["13800004444"])

    # when the clerk logs in and types the last four digits of the mobile
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "pw-Dossier-1")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.keyboard.press("/")
    page.keyboard.type("4444")
    result = page.locator("#lookup-results [role=option]").first
    result.wait_for(timeout=15000)

    # then the live result shows the honorific, and Enter opens the card
    assert "欧阳女士" in result.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/guests/*/")
    assert "欧阳女士" in page.locator("main").inner_text()
