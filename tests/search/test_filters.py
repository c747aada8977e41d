"""Filters (class, tag, department, preference, date ranges) and saved searches."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dossier.guests.models import PreferenceItem, Tag
from dossier.guests.services import observation_add, preference_set
from dossier.search.filters import SearchFilters
from dossier.search.models import SavedSearch
from dossier.search.selectors import guest_search
from tests.factories import GuestFactory, add_bill, add_stay

pytestmark = pytest.mark.django_db


@pytest.fixture
def guests(prop, manager, make_staff):
    a = GuestFactory(full_name="王芳", guest_class="A", birth_date=date(1980, 5, 1))
    b = GuestFactory(full_name="王芳芳", guest_class="B", birth_date=date(1992, 8, 9))
    c = GuestFactory(full_name="李雷", guest_class="C")
    a.tags.add(Tag.objects.create(property=prop, name="常客"))
    preference_set(
        actor=manager,
        guest=b,
        item=PreferenceItem.objects.get(code="pillow"),
        value="低",
    )
    observation_add(
        actor=make_staff("housekeeping"),
        guest=c,
        department="housekeeping",
        text="要两个枕头",
    )
    add_stay(a, days_ago=400, external_ref="S1")
    add_stay(b, days_ago=40, external_ref="S2")
    add_bill(
        b, "B1", [("茶", "10.00", "")], opened_at=timezone.now() - timedelta(days=5)
    )
    return {"a": a, "b": b, "c": c}


def ids(prop, query="", **filters):
    found = guest_search(
        property_id=prop.pk, query=query, filters=SearchFilters(**filters)
    )
    return [h.guest_id for h in found]


def test_class_filter_narrows_a_query(prop, guests):
    assert ids(prop, "王芳") == [guests["a"].pk, guests["b"].pk]
    assert ids(prop, "王芳", guest_class="B") == [guests["b"].pk]


def test_filters_without_a_query_list_the_guests_by_name(prop, guests):
    assert ids(prop, guest_class="C") == [guests["c"].pk]
    assert ids(prop, tag="常客") == [guests["a"].pk]
    assert ids(prop, department="housekeeping") == [guests["c"].pk]
    assert ids(prop, department="fnb") == []


def test_preference_filter(prop, guests):
    assert ids(prop, preference="枕头: 低") == [guests["b"].pk]
    assert ids(prop, "王", preference="pillow: low") == [guests["b"].pk]
    assert ids(prop, preference="pillow: high") == []


def test_date_ranges(prop, guests):
    today = timezone.localdate()
    assert ids(prop, birth_from=date(1990, 1, 1)) == [guests["b"].pk]
    assert ids(prop, birth_to=date(1985, 12, 31)) == [guests["a"].pk]
    # the last visit of b is the meal five days ago, not the stay forty days ago
    assert ids(prop, visit_from=today - timedelta(days=10)) == [guests["b"].pk]
    assert (
        ids(
            prop,
            visit_from=today - timedelta(days=60),
            visit_to=today - timedelta(days=30),
        )
        == []
    )
    assert ids(prop, visit_to=today - timedelta(days=300)) == [guests["a"].pk]
    assert ids(prop, created_from=today) == [
        g.pk for g in (guests["c"], guests["a"], guests["b"])
    ]
    assert ids(prop, created_to=today - timedelta(days=1)) == []


def test_filters_keep_as_json(prop):
    filters = SearchFilters(guest_class="A", visit_from=date(2026, 1, 1))

    assert filters.to_json() == {"guest_class": "A", "visit_from": "2026-01-01"}
    assert SearchFilters.from_json(filters.to_json()) == filters


def test_saved_search_through_the_api(prop, guests, searcher, make_staff):
    from django.test import Client

    created = searcher.post(
        "/api/v1/search/saved",
        {"name": "A 类王姓", "query": "王", "guest_class": "A", "shared": True},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    saved_id = created.json()["id"]
    assert created.json()["filters"] == {"guest_class": "A"}

    listed = searcher.get("/api/v1/search/saved").json()["saved"]
    run = searcher.get(f"/api/v1/search/saved/{saved_id}/run").json()
    again = searcher.post(
        "/api/v1/search/saved", {"name": "A 类王姓"}, content_type="application/json"
    )

    assert [s["name"] for s in listed] == ["A 类王姓"]
    assert [r["id"] for r in run["results"]] == [guests["a"].pk]
    assert run["results"][0]["why"] == {
        "rank": "surname",
        "reason": "surname",
        "label": "姓氏",
        "matched": "王",
    }
    assert again.status_code == 422

    # a colleague sees the shared search but may not delete it
    colleague = Client()
    colleague.force_login(make_staff("front_office"))
    assert colleague.delete(f"/api/v1/search/saved/{saved_id}").status_code == 403
    assert searcher.delete(f"/api/v1/search/saved/{saved_id}").status_code == 204
    assert SavedSearch.objects.count() == 0


def test_saved_search_on_the_page(prop, guests, searcher):
    response = searcher.post(
        "/search/saved/", {"name": "B 类", "q": "", "guest_class": "B", "shared": ""}
    )
    saved = SavedSearch.objects.get()

    page = searcher.get(f"/search/saved/{saved.pk}/", follow=True)

    assert response.status_code == 302
    assert (saved.name, saved.query, saved.filters, saved.shared) == (
        "B 类",
        "",
        {"guest_class": "B"},
        False,
    )
    assert [row["id"] for row in page.context["results"].rows] == [guests["b"].pk]
    assert "B 类" in page.content.decode()

    searcher.post(f"/search/saved/{saved.pk}/delete/")
    assert SavedSearch.objects.count() == 0


def test_the_page_shows_why_and_updates_through_htmx(prop, guests, searcher):
    full = searcher.get("/search/", {"q": "wangfang"})
    partial = searcher.get(
        "/search/",
        {"q": "wangfang", "guest_class": "A"},
        headers={"HX-Request": "true", "HX-Target": "search-results"},
    )

    assert full.status_code == 200
    assert "拼音" in full.content.decode()
    assert "<html" not in partial.content.decode()
    assert [row["id"] for row in partial.context["results"].rows] == [guests["a"].pk]
