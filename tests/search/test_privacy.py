"""What a search says about why a guest matched never reveals a whole number."""

import pytest

from dossier.search.selectors import guest_lookup, hit_rows, hit_why
from tests.factories import GuestFactory, resident_id

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("8044", "181****8044"),
        ("18182428044", "181****8044"),
        ("428044", "181****8044"),
    ],
)
def test_a_phone_match_shows_the_masked_number(prop, query, shown):
    GuestFactory(full_name="张三", phones=["18182428044"])

    (hit,) = guest_lookup(property_id=prop.pk, query=query)

    assert hit_why(hit)["matched"] == shown


def test_an_id_match_shows_no_hash(prop):
    number = resident_id()
    GuestFactory(full_name="张三", id_numbers=[number])

    (hit,) = guest_lookup(property_id=prop.pk, query=number)

    assert hit_why(hit)["matched"] == ""


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"visit_to": "9999-12-31"}, "visit_to"),
        ({"created_from": "0001-01-01"}, "created_from"),
        ({"birth_from": "2000-01-01", "birth_to": "1990-01-01"}, "birth_to"),
        ({"guest_class": "Z"}, "guest_class"),
        ({"department": "xxx"}, "department"),
        ({"q": "陈" * 300}, "q"),
    ],
)
def test_filters_no_search_can_use_are_a_422_on_the_api(manager, params, field):
    from django.test import Client

    client = Client()
    client.force_login(manager)

    response = client.get("/api/v1/search", params)

    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("invalid", field)


def test_an_impossible_date_range_is_a_form_error_on_the_page(manager):
    from django.test import Client

    client = Client()
    client.force_login(manager)

    response = client.get("/search/", {"q": "张", "visit_to": "9999-12-31"})

    assert response.status_code == 200
    assert "日期应在 1900-01-01 至 2100-12-31 之间" in response.content.decode()


def test_a_saved_search_must_be_usable(manager):
    import json

    from django.test import Client

    client = Client()
    client.force_login(manager)

    response = client.post(
        "/api/v1/search/saved",
        json.dumps({"name": "x" * 500, "query": "张"}),
        content_type="application/json",
    )

    assert response.status_code == 422


def test_a_count_beyond_what_search_ranks_says_so(prop, manager, monkeypatch):
    from django.test import Client

    from dossier.search import selectors

    # given more guests of class A than search ranks
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 3)
    for n in range(4):
        GuestFactory(full_name=f"王{n}", guest_class="A")
    client = Client()
    client.force_login(manager)

    api = client.get("/api/v1/search", {"guest_class": "A"}).json()
    page = client.get("/search/", {"guest_class": "A"}).content.decode()

    assert (api["count"], api["capped"]) == (3, True)
    assert "超过 3 位客人" in page


@pytest.mark.parametrize(
    ("phone", "query", "shown"),
    [
        ("+7 912 345 1205", "1205", "+7****1205"),
        ("+33 6 12 34 57 19", "5719", "+33****5719"),
        ("+33 6 12 34 57 19", "+33612345719", "+33****5719"),
        ("021-6123 4567", "4567", "021****4567"),
    ],
)
def test_a_phone_match_is_masked_as_the_card_masks_the_number(
    prop, manager, phone, query, shown
):
    # given a guest with a number from abroad or a landline
    GuestFactory(full_name="张三", phones=[phone])

    # when the desk looks the number up
    (row,) = hit_rows(guest_lookup(property_id=prop.pk, query=query), manager)

    # then the reason shows the number exactly as the card does
    assert (row["why"]["matched"], row["mobile_masked"]) == (shown, shown)
