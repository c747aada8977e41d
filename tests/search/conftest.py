"""The four doors of search: each takes a query and gives the ids it finds, in order."""

import json
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from dossier.core.models import Property
from dossier.search.selectors import guest_lookup

Door = Callable[[str], list[int]]


@pytest.fixture
def searcher(manager: User) -> Client:
    client = Client()
    client.force_login(manager)
    return client


def _selector(prop: Property, client: Client) -> Door:
    return lambda q: [h.guest_id for h in guest_lookup(property_id=prop.pk, query=q)]


def _page(prop: Property, client: Client) -> Door:
    def find(q: str) -> list[int]:
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200
        results = response.context["results"]
        return [row["id"] for row in results.rows] if results else []

    return find


def _box(prop: Property, client: Client) -> Door:
    def find(q: str) -> list[int]:
        response = client.get("/lookup/", {"q": q}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return [card["id"] for card in response.context["cards"]]

    return find


def _api(prop: Property, client: Client) -> Door:
    def find(q: str) -> list[int]:
        response = client.get("/api/v1/search", {"q": q})
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    return find


def _api_lookup(prop: Property, client: Client) -> Door:
    def find(q: str) -> list[int]:
        response = client.get("/api/v1/guests/lookup", {"q": q, "limit": 20})
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["matches"]]

    return find


def _cli(prop: Property, client: Client) -> Door:
    def find(q: str) -> list[int]:
        out = StringIO()
        call_command("lookup", q, "--json", "--limit", "20", stdout=out)
        return [card["id"] for card in json.loads(out.getvalue())["matches"]]

    return find


DOORS = {
    "selector": _selector,
    "box": _box,
    "page": _page,
    "api": _api,
    "api_lookup": _api_lookup,
    "cli": _cli,
}


@pytest.fixture(params=sorted(DOORS))
def door(request: pytest.FixtureRequest, prop: Property, searcher: Client) -> Door:
    """Every way in to search: the selector, the look-up box, the search page, both
    endpoints, the CLI."""
    return DOORS[request.param](prop, searcher)


Why = Callable[[str], list[str]]


def _why_of(rows: list[dict[str, Any]]) -> list[str]:
    return [row["why"]["label"] for row in rows]


WHY_DOORS: dict[str, Callable[[Client], Why]] = {
    "box": lambda client: (
        lambda q: _why_of(
            client.get("/lookup/", {"q": q}, headers={"HX-Request": "true"}).context[
                "cards"
            ]
        )
    ),
    "page": lambda client: (
        lambda q: _why_of(client.get("/search/", {"q": q}).context["results"].rows)
    ),
    "api": lambda client: (
        lambda q: _why_of(client.get("/api/v1/search", {"q": q}).json()["results"])
    ),
    "api_lookup": lambda client: (
        lambda q: _why_of(
            client.get("/api/v1/guests/lookup", {"q": q}).json()["matches"]
        )
    ),
}


@pytest.fixture(params=sorted(WHY_DOORS))
def why_door(request: pytest.FixtureRequest, searcher: Client) -> Why:
    """Why each guest was found, as each door that shows people says it."""
    return WHY_DOORS[request.param](searcher)
