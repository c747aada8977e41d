"""The profile card: what it shows, to whom, and in how many queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossier.care.models import Task
from dossier.guests.models import ObservationKind, PreferenceItem, SpecialDate
from dossier.guests.selectors import card_viewer, guest_cards
from dossier.guests.services import observation_add, preference_set
from tests.factories import GuestFactory, add_bill, add_stay, resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest(prop, manager):
    guest = GuestFactory(
        full_name="欧阳娜娜",
        phones=["13800004444"],
        id_numbers=[resident_id(date(1990, 6, 1), "F", 3)],
        vip_level="金卡",
        guest_class="A",
    )
    for code, value in [
        ("allergy", "花生"),
        ("taboo", "忌辣"),
        ("pillow", "低"),
        ("ac_temperature", "24"),
        ("tea", "龙井"),
    ]:
        preference_set(
            actor=manager,
            guest=guest,
            item=PreferenceItem.objects.get(code=code),
            value=value,
        )
    return guest


def card_for(guest, user, today=None):
    return guest_cards([guest.pk], viewer=card_viewer(user), today=today)[0]


def test_card_keys_and_values(guest, waiter):
    card = card_for(guest, waiter)

    assert card["honorific"] == "欧阳女士"
    assert (card["class"], card["vip"]) == ("A", "金卡")
    assert card["mobile_masked"] == "138****4444"
    assert card["id_number_masked"].count("*") == 8
    assert [a["text"] for a in card["alerts"]] == ["花生", "忌辣"]


def test_preferences_that_matter_to_the_viewer(guest, waiter, make_staff):
    housekeeper = make_staff("housekeeping")

    waiter_sees = {p["code"] for p in card_for(guest, waiter)["preferences"]}
    housekeeper_sees = {p["code"] for p in card_for(guest, housekeeper)["preferences"]}

    assert waiter_sees == {"tea"}
    assert housekeeper_sees == {"pillow", "ac_temperature", "tea"}


def test_open_complaints_and_blacklist_are_alerts(guest, waiter):
    observation_add(
        actor=waiter,
        guest=guest,
        department="fnb",
        text="上菜太慢",
        kind=ObservationKind.COMPLAINT,
    )
    guest.blacklisted, guest.blacklist_reason = True, "逃单"
    guest.save()

    kinds = [a["kind"] for a in card_for(guest, waiter)["alerts"]]

    assert kinds == ["allergy", "taboo", "blacklist", "complaint"]


def test_upcoming_dates_solar_and_lunar(guest, waiter):
    SpecialDate.objects.create(guest=guest, kind="birthday", month=6, day=1, year=1990)
    SpecialDate.objects.create(
        guest=guest, kind="wedding", calendar="lunar", month=4, day=8
    )
    SpecialDate.objects.create(guest=guest, kind="custom", month=12, day=1)

    card = card_for(guest, waiter, today=date(2026, 5, 20))

    assert [(d["date"], d["kind"]) for d in card["upcoming_dates"]] == [
        ("2026-05-24", "wedding"),
        ("2026-06-01", "birthday"),
    ]


def test_recent_visits_with_dishes_and_ratings(guest, waiter, manager):
    add_stay(guest, days_ago=40, external_ref="S1")
    add_bill(
        guest, "B1", [("清蒸石斑鱼", "268", "liked"), ("麻婆豆腐", "38", "disliked")]
    )

    waiter_card = card_for(guest, waiter)
    manager_card = card_for(guest, manager)

    bill = waiter_card["recent_visits"][0]
    assert bill["type"] == "bill"
    assert [(d["name"], d["rating"]) for d in bill["dishes"]] == [
        ("清蒸石斑鱼", "liked"),
        ("麻婆豆腐", "disliked"),
    ]
    assert bill["total"] is None
    assert manager_card["recent_visits"][0]["total"] == "306.00"
    assert waiter_card["recent_visits"][1]["type"] == "stay"


def test_open_tasks_on_the_card(guest, waiter):
    Task.objects.create(
        guest=guest, title="生日前一天送花", due=date.today() + timedelta(days=2)
    )
    Task.objects.create(guest=guest, title="已完成", due=date.today(), status="done")

    assert [t["title"] for t in card_for(guest, waiter)["open_tasks"]] == [
        "生日前一天送花"
    ]


def count_card_queries(guest, user):
    viewer = card_viewer(user)
    with CaptureQueriesContext(connection) as queries:
        guest_cards([guest.pk], viewer=viewer)
    return len(queries)


def test_card_queries_do_not_grow_with_history(guest, waiter):
    # given a guest with one visit
    add_stay(guest, days_ago=5, external_ref="S0")
    add_bill(guest, "B0", [("米饭", "3", "")])
    few = count_card_queries(guest, waiter)

    # when the guest has twenty more stays and bills of many lines
    for n in range(1, 21):
        add_stay(guest, days_ago=10 + n * 5, external_ref=f"S{n}")
        add_bill(guest, f"B{n}", [(f"菜{k}", "10", "liked") for k in range(6)])

    # then the card takes one statement, as before
    assert count_card_queries(guest, waiter) == few
    assert few == 1


def test_money_on_the_card_is_exact(guest, manager):
    add_bill(guest, "B1", [("A", "0.10", ""), ("B", "0.20", "")])

    assert manager_total(guest, manager) == Decimal("0.30")


def manager_total(guest, manager):
    return Decimal(card_for(guest, manager)["recent_visits"][0]["total"])
