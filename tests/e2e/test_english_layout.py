"""English pages in a real browser: longer words stay inside their panels."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from dossier.care.services import consent_record
from dossier.core.models import Property
from tests.conftest import StaffMaker
from tests.factories import GuestFactory, add_stay

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Each element matched that ends right of its panel, with by how many pixels.
OUT_OF_PANEL = """
(selector) => [...document.querySelectorAll(selector)].map((node) => {
  const panel = node.closest(".panel").getBoundingClientRect();
  const box = node.getBoundingClientRect();
  return [node.textContent.trim().slice(0, 40), Math.round(box.right - panel.right)];
}).filter(([, over]) => over > 0)
"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_dashboard_and_guest_page_fit_their_panels_in_english(
    width: int, page: Any, live_server: Any, prop: Property, make_staff: StaffMaker
) -> None:
    # given an arrival today without a room, who answered a consent question
    guest = GuestFactory(full_name="欧阳娜娜", phones=["13800004444"])
    today = timezone.localdate()
    add_stay(guest, days_ago=0, room="", status="reserved", external_ref="A1",
             arrival=today, departure=today + timedelta(days=1))  # fmt: skip
    consent_record(actor=None, guest=guest, channel="sms", purpose="marketing",
                   granted=True, source="Signed registration card at the front desk")  # fmt: skip
    make_staff("front_office", username="desk")
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "desk")
    page.fill("input[name=password]", "pw-Dossier-1")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{live_server.url}/")

    # when the dashboard and the guest's page open in English
    assert "Unassigned" in page.inner_text("#arrivals")
    arrivals = page.evaluate(OUT_OF_PANEL, "#arrivals .row-aside > *")
    aside = page.evaluate(
        "() => [...document.querySelectorAll('#arrivals .row-aside')]"
        ".map((a) => [a.innerText, a.scrollWidth - a.clientWidth])"
        ".filter(([, over]) => over > 0)"
    )
    page.goto(f"{live_server.url}/guests/{guest.pk}/")
    table = page.evaluate(
        "() => { const t = document.querySelector('#consents-title')"
        ".closest('.panel').querySelector('.table-wrap');"
        " return t.scrollWidth - t.clientWidth; }"
    )

    # then the room label stays in the arrivals panel, the consent table in its own
    assert arrivals == []
    assert aside == []
    assert table <= 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
