"""The bench's regulars have a history that fills every part of the card."""

import pytest

from bench.history import LINES, VISITS, histories_add
from dossier.guests.selectors import CardViewer, guest_cards
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


def test_a_regular_has_a_full_card(prop):
    # given two guests given a history
    guests = [GuestFactory(full_name=name) for name in ("王伟", "李娜")]
    histories_add(prop, [g.pk for g in guests])

    # when a card of one is read as a waiter would
    viewer = CardViewer(department="fnb", sees_full_id=False, sees_spend=True)
    (card,) = guest_cards([guests[1].pk], viewer=viewer)

    # then every part of the card is filled, with visits beyond what it shows
    assert [a["text"] for a in card["alerts"]] == ["花生", "忌辣"]
    assert [p["value"] for p in card["preferences"]] == ["龙井"]
    assert card["tags"] == ["常客", "商务"]
    assert card["cards"] == [f"VIP-{guests[1].pk:08d}"]
    assert [t["title"] for t in card["open_tasks"]] == ["生日前一天送花"]
    assert len(card["recent_visits"]) == 5
    bills = [v for v in card["recent_visits"] if v["type"] == "bill"]
    assert [len(b["dishes"]) for b in bills] == [LINES] * len(bills)
    assert guests[1].stays.count() == guests[1].bills.count() == VISITS
