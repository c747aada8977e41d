"""Open tasks on the guest's card and page, with no query more for many guests."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossier.care.daily import run_daily
from dossier.guests.selectors import card_viewer, guest_cards
from tests.care.conftest import only_rule
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


def test_reminders_of_the_daily_run_show_on_the_card_and_page(prop, manager):
    # given
    only_rule(prop, "生日祝福", days=0, channel="task")
    guests = [
        GuestFactory(full_name=name, gender="F", birth_date=date(1990, 3, 10))
        for name in ("林晓", "周敏", "吴丽")
    ]
    run_daily(today=date(2027, 3, 10))
    viewer = card_viewer(manager)

    # when
    with CaptureQueriesContext(connection) as one:
        guest_cards([guests[0].pk], viewer=viewer, today=date(2027, 3, 11))
    with CaptureQueriesContext(connection) as three:
        cards = guest_cards(
            [g.pk for g in guests], viewer=viewer, today=date(2027, 3, 11)
        )
    client = Client()
    client.force_login(manager)
    page = client.get(reverse("guests:detail", args=[guests[0].pk]))

    # then
    assert len(one) == len(three)
    assert [c["open_tasks"][0]["title"] for c in cards] == [
        "生日（3月10日）：林女士",
        "生日（3月10日）：周女士",
        "生日（3月10日）：吴女士",
    ]
    assert cards[0]["open_tasks"][0]["overdue"] is True
    assert cards[0]["open_tasks"][0]["kind"] == "special_date"
    assert "生日（3月10日）：林女士" in page.content.decode()
