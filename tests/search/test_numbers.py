"""Numbers at the desk, through every door: a phone's last four before an ID's, the
guests here today first, the reason said, a phone masked as the phone column masks
it."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from dossier.core.models import Property
from dossier.guests.models import MemberCard
from dossier.guests.selectors import CardViewer, guest_cards
from dossier.guests.services import GuestInput, IdentityInput, guest_update
from dossier.search.indexing import guest_reindex
from dossier.search.selectors import Rank, guest_lookup, hits_why
from dossier.zh.idnumber import make_id_number
from tests.factories import GuestFactory, add_stay

pytestmark = pytest.mark.django_db

# What each door shows of a guest found: id, why it matched, the phone column.
Row = tuple[int, str, str, str]
RowDoor = Callable[[str], list[Row]]
BOX_LIMIT = 10


def _row(card: dict[str, Any]) -> Row:
    why = card["why"]
    return (card["id"], why["label"], why["matched"], card["mobile_masked"])


def _selector(prop: Property, client: Client) -> RowDoor:
    def find(q: str) -> list[Row]:
        hits = guest_lookup(property_id=prop.pk, query=q)
        why = hits_why(hits)
        viewer = CardViewer(department="", sees_full_id=False, sees_spend=False)
        cards = guest_cards([h.guest_id for h in hits], viewer=viewer)
        return [_row({**card, "why": why[card["id"]]}) for card in cards]

    return find


def _box(prop: Property, client: Client) -> RowDoor:
    def find(q: str) -> list[Row]:
        response = client.get("/lookup/", {"q": q}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return [_row(card) for card in response.context["cards"]]

    return find


def _page(prop: Property, client: Client) -> RowDoor:
    def find(q: str) -> list[Row]:
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200
        results = response.context["results"]
        return [_row(row) for row in results.rows] if results else []

    return find


def _api(prop: Property, client: Client) -> RowDoor:
    def find(q: str) -> list[Row]:
        response = client.get("/api/v1/search", {"q": q})
        assert response.status_code == 200, response.content
        return [_row(row) for row in response.json()["results"]]

    return find


def _api_lookup(prop: Property, client: Client) -> RowDoor:
    def find(q: str) -> list[Row]:
        response = client.get("/api/v1/guests/lookup", {"q": q, "limit": 20})
        assert response.status_code == 200, response.content
        return [_row(row) for row in response.json()["matches"]]

    return find


def _cli(prop: Property, client: Client) -> RowDoor:
    def find(q: str) -> list[Row]:
        out = StringIO()
        call_command("lookup", q, "--json", "--limit", "20", stdout=out)
        return [_row(card) for card in json.loads(out.getvalue())["matches"]]

    return find


ROW_DOORS = {
    "selector": _selector,
    "box": _box,
    "page": _page,
    "api": _api,
    "api_lookup": _api_lookup,
    "cli": _cli,
}


@dataclass(frozen=True)
class Door:
    """A door and how many guests it lists at most."""

    find: RowDoor
    limit: int

    def __call__(self, query: str) -> list[Row]:
        return self.find(query)


@pytest.fixture(params=sorted(ROW_DOORS))
def rows_door(request: pytest.FixtureRequest, prop: Property, manager: User) -> Door:
    """Every door, each giving (id, reason, what matched, phone column) per guest."""
    client = Client()
    client.force_login(manager)
    limit = BOX_LIMIT if request.param == "box" else 20
    return Door(ROW_DOORS[request.param](prop, client), limit)


def resident_ids_ending(tail: str, count: int) -> list[str]:
    """``count`` valid resident ID numbers whose last four are ``tail``."""
    order = int(tail[:3])
    sequence, male = divmod(order, 2)
    found: list[str] = []
    day = date(1960, 1, 1)
    while len(found) < count:
        number = make_id_number("110105", day, sequence, "M" if male else "F")
        if number.endswith(tail):
            found.append(number)
        day += timedelta(days=1)
    return found


@pytest.fixture
def tails(prop: Property) -> dict[str, Any]:
    """Twelve guests whose ID ends in 5719, seen 20 to 31 days ago, and three whose
    mobile does: one in the house, 崔女士 arriving today, one seen two days ago."""
    by_id = []
    for n, number in enumerate(resident_ids_ending("5719", 12)):
        guest = GuestFactory(full_name=f"证件{n}", id_numbers=[number])
        add_stay(guest, days_ago=20 + n, external_ref=f"ID{n}")
        by_id.append(guest)
    in_house = GuestFactory(full_name="林在住", phones=["13600005719"])
    add_stay(in_house, days_ago=1, status="in_house", room="0905", external_ref="H")
    cui = GuestFactory(full_name="崔承瓒", gender="F", phones=["139 1234 5719"])
    add_stay(cui, days_ago=0, status="reserved", room="", external_ref="R")
    earlier = GuestFactory(full_name="周往日", phones=["13700005719"])
    add_stay(earlier, days_ago=2, external_ref="E")
    return {"by_id": by_id, "in_house": in_house, "cui": cui, "earlier": earlier}


def test_four_digits_list_mobile_tails_first_guests_here_today_first(
    rows_door: Door, tails: dict[str, Any]
) -> None:
    # when the desk types the last four digits
    found = rows_door("5719")

    # then the mobiles ending so come first, the guests in the house and arriving
    # today before the one seen two days ago, then the IDs, last seen first
    phones = [
        (tails["in_house"].pk, "手机尾号", "136****5719", "136****5719"),
        (tails["cui"].pk, "手机尾号", "139****5719", "139****5719"),
        (tails["earlier"].pk, "手机尾号", "137****5719", "137****5719"),
    ]
    ids = [(guest.pk, "证件后四位", "5719", "") for guest in tails["by_id"]]
    assert found == (phones + ids)[: rows_door.limit]


def test_a_mobile_just_created_comes_before_id_tails(rows_door: Door, prop) -> None:
    # given a dozen IDs ending in 8000, then a guest created with 138 0013 8000
    for n, number in enumerate(resident_ids_ending("8000", 12)):
        GuestFactory(full_name=f"证件{n}", id_numbers=[number])
    new = GuestFactory(full_name="梁山", phones=["138 0013 8000"])

    # when the desk types 8000, then the new guest is the first
    assert rows_door("8000")[0] == (new.pk, "手机尾号", "138****8000", "138****8000")


def test_the_look_up_box_says_why_each_guest_is_listed(
    tails: dict[str, Any], manager: User
) -> None:
    client = Client()
    client.force_login(manager)

    # when the box lists the guests for 5719
    response = client.get("/lookup/", {"q": "5719"}, headers={"HX-Request": "true"})

    # then each row says its reason: three mobile tails, then seven ID tails
    page = response.content.decode()
    assert page.count('<span class="badge badge-why"') == BOX_LIMIT
    assert page.count('title="139****5719">手机尾号</span>') == 1
    assert page.count(">手机尾号</span>") == 3
    assert page.count('title="5719">证件后四位</span>') == 7


def test_a_guest_in_the_house_comes_first_within_a_name(rows_door: Door, prop) -> None:
    # given three guests called 王芳: one seen three days ago, one arriving today
    seen = GuestFactory(full_name="王芳")
    add_stay(seen, days_ago=3, nights=2, external_ref="S")
    arriving = GuestFactory(full_name="王芳")
    add_stay(arriving, days_ago=0, status="reserved", room="", external_ref="A")
    never = GuestFactory(full_name="王芳")

    # when the desk types the name, then the guest arriving today is first
    assert [row[0] for row in rows_door("王芳")] == [arriving.pk, seen.pk, never.pk]


def test_tomorrow_s_arrival_is_not_here_today(rows_door: Door, prop) -> None:
    # given a guest arriving tomorrow and one seen last week
    tomorrow = GuestFactory(full_name="王芳")
    add_stay(tomorrow, days_ago=-1, status="reserved", room="", external_ref="T")
    seen = GuestFactory(full_name="王芳")
    add_stay(seen, days_ago=7, external_ref="S")

    # then the guest seen comes first, as before
    assert [row[0] for row in rows_door("王芳")] == [seen.pk, tomorrow.pk]


@pytest.mark.parametrize(
    ("phone", "query", "shown"),
    [
        ("+7 916 123 1205", "1205", "+7****1205"),
        ("+7 916 123 1205", "+79161231205", "+7****1205"),
        ("+33 6 12 34 57 19", "5719", "+33****5719"),
        ("+852 9123 4567", "91234567", "+852****4567"),
        ("010 6512 3456", "3456", "010****3456"),
    ],
)
def test_a_phone_reason_is_masked_as_the_phone_column(
    rows_door: Door, prop, phone, query, shown
) -> None:
    # given a guest whose only phone is from abroad or a landline
    guest = GuestFactory(full_name="Anna Petrova", phones=[phone])

    # when found by it, then the reason shows the number as the phone column does
    ((found, label, matched, column),) = rows_door(query)
    assert (found, matched, column) == (guest.pk, shown, shown)
    assert label in ("手机尾号", "手机")


def test_a_second_phone_is_shown_as_the_one_that_matched(rows_door: Door, prop) -> None:
    # given a guest with a mainland mobile and a Russian one
    guest = GuestFactory(full_name="王芳", phones=["13800001111", "+79161231205"])

    # then a match on the second shows the second, masked its own way
    assert rows_door("1205") == [(guest.pk, "手机尾号", "+7****1205", "138****1111")]


def test_a_whole_card_number_comes_before_a_phone_ending_so(
    rows_door: Door, prop
) -> None:
    # given a guest whose card is VIP-88001 and one whose mobile ends in 88001
    card = GuestFactory(full_name="王卡")
    MemberCard.objects.create(guest=card, number="VIP-88001")
    guest_reindex([card.pk])
    phone = GuestFactory(full_name="王机", phones=["13900088001"])

    # when the desk types the card's number, then the card holder comes first
    assert [row[:2] for row in rows_door("88001")] == [
        (card.pk, "会员卡"),
        (phone.pk, "手机尾号"),
    ]


@pytest.mark.parametrize(
    ("number", "doc_type", "query", "shown"),
    [
        ("C01X00T47", "passport", "C01X00T47", ("证件号", "")),
        ("C01X00T47", "passport", "c01x00t47", ("证件号", "")),
        ("C01X00T47", "passport", "0T47", ("证件后四位", "0T47")),
        ("C01X00T47", "passport", "0t47", ("证件后四位", "0T47")),
        ("E12345678", "passport", "e12345678", ("证件号", "")),
        ("E12345678", "passport", "Ｅ１２３４５６７８", ("证件号", "")),
        ("874575929", "passport", "874575929", ("证件号", "")),
        ("H26836175", "hk_macau_permit", "h26836175", ("证件号", "")),
        ("83809468", "taiwan_permit", "83809468", ("证件号", "")),
        ("USA110012345678", "foreign_residence", "usa110012345678", ("证件号", "")),
    ],
)
def test_a_document_of_any_type_is_found_whole_or_by_its_last_four(
    rows_door: Door, prop, number, doc_type, query, shown
) -> None:
    # given a guest holding a passport, a permit or a residence card
    guest = GuestFactory(full_name="Hans Weber")
    guest_update(
        actor=None,
        guest=guest,
        data=GuestInput(documents=[IdentityInput(number, doc_type, "DEU")]),
    )
    GuestFactory(full_name="Eva Weber", phones=["+491701234567"])

    # when the desk types the number or its last four, then that guest is found
    assert rows_door(query) == [(guest.pk, *shown, "")]


@pytest.mark.parametrize(
    ("number", "doc_type"),
    [
        ("110105198503140021", "resident_id"),
        ("81000019850314002X", "hmt_residence"),
        ("E12345678", "passport"),
        ("H26836175", "hk_macau_permit"),
        ("83809468", "taiwan_permit"),
        ("USA110012345678", "foreign_residence"),
        ("AB1234567", "other"),
    ],
)
def test_a_whole_document_number_is_an_exact_match(prop, number, doc_type) -> None:
    # given a guest holding the document, and one whose name starts alike
    guest = GuestFactory(full_name="Hans Weber")
    guest_update(
        actor=None,
        guest=guest,
        data=GuestInput(documents=[IdentityInput(number, doc_type, "")]),
    )

    # when the number is typed, then the guest is an exact match by the document
    (hit,) = guest_lookup(property_id=prop.pk, query=number.lower())
    assert (hit.guest_id, hit.rank, hit.reason) == (guest.pk, Rank.EXACT, "id")


@pytest.mark.parametrize(
    ("query", "found"), [("hans C01X00T47", True), ("eva C01X00T47", False)]
)
def test_a_document_number_beside_a_name_needs_both(
    rows_door: Door, prop, query, found
) -> None:
    guest = GuestFactory(full_name="Hans Weber")
    guest_update(
        actor=None,
        guest=guest,
        data=GuestInput(documents=[IdentityInput("C01X00T47", "passport", "DEU")]),
    )
    GuestFactory(full_name="Eva Weber")

    assert [row[0] for row in rows_door(query)] == ([guest.pk] if found else [])


@pytest.mark.parametrize(
    "query", ["崔承瓒 5729", "崔 5729", "cui 5729", "5729 崔", "崔女士 5729"]
)
def test_a_name_and_four_digits_list_the_mobile_before_the_id(
    rows_door: Door, prop, query
) -> None:
    # given 崔承瓒 whose mobile ends in 5729, 崔承瓒 whose ID does (a woman's, as its
    # 17th digit is even), a 李 whose mobile does
    (number,) = resident_ids_ending("5729", 1)
    by_id = GuestFactory(full_name="崔承瓒", gender="F", id_numbers=[number])
    add_stay(by_id, days_ago=1, status="in_house", external_ref="H")
    mobile = GuestFactory(full_name="崔承瓒", gender="F", phones=["13912345729"])
    GuestFactory(full_name="李承瓒", phones=["13712345729"])

    # when the desk types a name with the last four, then both 崔 are found, the
    # mobile first although the other is in the house
    assert [row[:3] for row in rows_door(query)] == [
        (mobile.pk, "手机尾号", "139****5729"),
        (by_id.pk, "证件后四位", "5729"),
    ]
