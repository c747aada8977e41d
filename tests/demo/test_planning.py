"""The demo's planning steps, which touch no database: dates, rooms, guests, identities."""

import dataclasses
import itertools
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from dossier.demo.build import DEFAULT_SEED
from dossier.demo.identities import Identity, IdentityMaker
from dossier.demo.labels import requests_text
from dossier.demo.roster import guests_plan
from dossier.demo.sources import Booking, bookings_read
from dossier.demo.timeline import status_of, stays_plan
from dossier.search.keys import name_keys
from dossier.zh.idnumber import parse_id_number

TODAY = date(2026, 3, 15)
NO_SHIFT = timedelta(0)


def _booking(
    status: str = "Check-Out", arrival: date = TODAY, nights: int = 2, **changes: object
) -> Booking:
    values: dict[str, object] = {
        "index": 0, "hotel": "City Hotel", "arrival": arrival, "nights": nights,
        "adults": 2, "children": 0, "meal": "BB", "country": "PRT",
        "segment": "Direct", "channel": "Direct", "repeated": False,
        "room_type": "A", "company": "", "customer_type": "Transient",
        "adr": Decimal("80"), "parking": 0, "requests": 0, "status": status,
        "status_date": arrival,
    }  # fmt: skip
    values.update(changes)
    return Booking(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "days", "nights", "status_days", "expected"),
    [
        ("Check-Out", -10, 2, -8, "checked_out"),
        ("Check-Out", -1, 3, 2, "in_house"),
        ("Check-Out", -2, 2, 0, "in_house"),
        ("Check-Out", 0, 2, 2, "reserved"),
        ("Check-Out", 5, 2, 7, "reserved"),
        ("Check-Out", -3, 0, -3, "checked_out"),
        ("No-Show", -4, 2, -4, "no_show"),
        ("No-Show", 0, 2, 0, "reserved"),
        ("Canceled", -4, 2, -30, "cancelled"),
        ("Canceled", 9, 2, -1, "cancelled"),
        ("Canceled", 9, 2, 3, "reserved"),
    ],
)
def test_status_follows_today(
    status: str, days: int, nights: int, status_days: int, expected: str
) -> None:
    arrival = TODAY + timedelta(days=days)
    booking = _booking(
        status, arrival, nights, status_date=TODAY + timedelta(days=status_days)
    )
    assert status_of(booking, arrival, TODAY, NO_SHIFT) == expected


@pytest.fixture(scope="module")
def sample() -> list[Booking]:
    return bookings_read(3000)


def test_the_shipped_data_keeps_every_booking() -> None:
    bookings = bookings_read()
    assert len(bookings) == 119_390
    assert {b.hotel for b in bookings} == {"City Hotel", "Resort Hotel"}
    assert min(b.arrival for b in bookings) == date(2015, 7, 1)
    assert max(b.arrival for b in bookings) == date(2017, 8, 31)


def test_a_sample_spreads_over_both_hotels_and_years(sample: list[Booking]) -> None:
    assert len(sample) == 3000
    assert {b.hotel for b in sample} == {"City Hotel", "Resort Hotel"}
    assert {b.arrival.year for b in sample} == {2015, 2016, 2017}


def test_rooms_are_never_double_booked(sample: list[Booking]) -> None:
    stays = stays_plan(sample, TODAY)
    nights: set[tuple[str, date]] = set()
    for stay in stays:
        if stay.status not in ("checked_out", "in_house"):
            assert not stay.room
            continue
        assert stay.room
        for night in range((stay.departure - stay.arrival).days):
            key = (stay.room, stay.arrival + timedelta(days=night))
            assert key not in nights
            nights.add(key)


def test_room_numbers_read_floor_then_room(sample: list[Booking]) -> None:
    rooms = {stay.room for stay in stays_plan(sample, TODAY) if stay.room}
    for room in rooms:
        digits = room.removeprefix("R")
        assert len(digits) == 4
        assert digits.isdigit()
        assert 1 <= int(digits[2:]) <= 20
    assert any(room.startswith("R") for room in rooms)
    assert any(not room.startswith("R") for room in rooms)


def test_returning_guests_have_several_stays_never_at_once(
    sample: list[Booking],
) -> None:
    stays = stays_plan(sample, TODAY)
    plans = guests_plan(sample, stays)
    assert sorted(p for plan in plans for p in plan.bookings) == list(
        range(len(sample))
    )
    returning = [plan for plan in plans if plan.returning]
    assert any(len(plan.bookings) >= 2 for plan in returning)
    for plan in returning:
        ordered = sorted(plan.bookings, key=lambda p: stays[p].arrival)
        for before, after in itertools.pairwise(ordered):
            assert stays[before].departure <= stays[after].arrival


def test_identity_depends_only_on_seed_and_key() -> None:
    first, second = IdentityMaker(3), IdentityMaker(3)
    assert first.make("b17", "CHN") == second.make("b17", "CHN")
    assert first.make("b17", "CHN") != IdentityMaker(4).make("b17", "CHN")


def test_a_passport_number_already_given_is_drawn_again() -> None:
    # given two guests of the shipped data whose passports are drawn alike
    maker = IdentityMaker(2019)
    aoife = maker.make("b9678", "IRL")
    alone = IdentityMaker(2019).make("b100989", "IRL")
    assert (aoife.full_name, alone.full_name) == ("Aoife Kelly", "Orla O'Brien")
    assert aoife.doc_number == alone.doc_number == "874575929"

    # when the maker that gave Aoife Kelly the number makes Orla O'Brien
    orla = maker.make("b100989", "IRL")

    # then she gets another number, the same on every build, and nothing else changes
    assert orla.doc_number == "920886238"
    assert dataclasses.replace(orla, doc_number=alone.doc_number) == alone
    again = IdentityMaker(2019)
    again.make("b9678", "IRL")
    assert again.make("b100989", "IRL") == orla


@pytest.mark.parametrize("country", ["CHN", "HKG", "TWN", "FRA", "DEU", "USA"])
def test_a_number_is_never_given_twice(country: str) -> None:
    # given a maker that made a guest
    maker = IdentityMaker(5)
    first = maker.make("b1", country)

    # when the same guest is made again, then another valid number of its kind
    second = maker.make("b1", country)
    assert second.doc_number != first.doc_number
    assert (len(second.doc_number), second.doc_number[:1].isalpha()) == (
        len(first.doc_number),
        first.doc_number[:1].isalpha(),
    )
    if first.doc_type == "resident_id":
        parsed = parse_id_number(second.doc_number, today=TODAY)
        assert (parsed.birth_date, parsed.gender) == (first.birth, first.gender)
        assert second.doc_number[:6] == first.doc_number[:6]


@pytest.fixture(scope="module")
def shipped() -> list[Identity]:
    """The identity of every guest of the shipped bookings, as ``dossier demo``
    makes them."""
    bookings = bookings_read(None)
    guests = guests_plan(bookings, stays_plan(bookings, TODAY))
    maker = IdentityMaker(DEFAULT_SEED)
    return [maker.make(guest.key, guest.country) for guest in guests]


def test_no_two_guests_of_the_shipped_data_share_a_document_number(
    shipped: list[Identity],
) -> None:
    numbers = {(identity.doc_type, identity.doc_number) for identity in shipped}

    assert len(numbers) == len(shipped)


def test_the_readme_s_initials_name_a_guest_of_the_demo(
    shipped: list[Identity],
) -> None:
    # given the look-up example of the README
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"initials \(`([a-z]+)` finds (\w+),", readme)
    assert example is not None
    initials, name = example.groups()

    # then the demo has a guest of that name, whom those initials find
    (guest,) = [i for i in shipped if i.full_name == name]
    given = guest.full_name.removeprefix(guest.surname)
    assert "i:" + initials in name_keys(guest.full_name, guest.surname, given, True)


def test_mainland_ids_use_codes_in_use_at_birth() -> None:
    maker = IdentityMaker(11)
    for number in range(400):
        identity = maker.make(f"b{number}", "CN")
        parsed = parse_id_number(identity.doc_number, today=TODAY)
        assert parsed.birth_date == identity.birth
        assert parsed.gender == identity.gender
        assert identity.full_name.startswith(identity.surname)
        assert 2 <= len(identity.full_name) <= 4


def test_foreign_guests_get_their_country_s_names() -> None:
    identity = IdentityMaker(5).make("b1", "FRA")
    assert identity.is_foreign
    assert identity.doc_type == "passport"
    assert identity.doc_country == "FRA"
    assert identity.full_name.endswith(" " + identity.surname)


def test_requests_read_as_text() -> None:
    assert requests_text(0, 0, 0, 0) == ""
    assert requests_text(0, 2, 1, 0) == "高楼层；无烟房；车位 1 个"
    assert "婴儿床" not in requests_text(5, 8, 0, 0)
