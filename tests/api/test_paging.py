"""API lists page with ``limit`` (1–200, 50 unless asked) and ``offset``, like a
guest's stays and bills: registrations, campaigns and a guest's consent history."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from dossier.care.campaigns import CampaignInput, campaign_save
from dossier.care.services import consent_record
from dossier.collection.registrations import CardInput, registration_submit
from dossier.core.models import Property
from dossier.guests.models import Guest
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _registrations(prop: Property, count: int) -> list[str]:
    cache.clear()
    names = [f"欧阳娜{'娜' * (i + 1)}" for i in range(count)]
    for i, name in enumerate(names):
        registration_submit(
            property=prop,
            kind="card",
            data=CardInput(
                full_name=name, mobile=f"1380013800{i}", birth_date="1990-06-01"
            ),
            actor=None,
        )
    return names[::-1]  # newest first


def _campaigns(prop: Property, count: int) -> list[str]:
    names = [f"冬季活动 {i}" for i in range(count)]
    for name in names:
        campaign_save(
            actor=None,
            prop=prop,
            data=CampaignInput(name=name, channel="sms", body="{称呼}，冬季八折！"),
        )
    return names[::-1]


def _consents(guest: Guest, count: int) -> list[str]:
    sources = [f"入会表 {i}" for i in range(count)]
    for i, source in enumerate(sources):
        consent_record(actor=None, guest=guest, channel="sms", purpose="marketing",
                       granted=i % 2 == 0, source=source)  # fmt: skip
    return sources[::-1]


def _names(client: Client, url: str, key: str, params: dict[str, Any]) -> list[str]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    body = response.json()
    rows = body["history"] if key == "source" else body
    return [row[key] for row in rows]


@pytest.mark.parametrize("what", ["registrations", "campaigns", "consents"])
def test_a_list_pages_with_limit_and_offset(
    prop: Property, manager: User, what: str
) -> None:
    # given three rows of the list
    if what == "registrations":
        expected = _registrations(prop, 3)
        url, key = "/api/v1/collection/registrations", "full_name"
    elif what == "campaigns":
        expected = _campaigns(prop, 3)
        url, key = "/api/v1/care/campaigns", "name"
    else:
        guest = GuestFactory(full_name="林晓", phones=["13812345671"])
        expected = _consents(guest, 3)
        url, key = f"/api/v1/care/guests/{guest.pk}/consents", "source"
    client = _client(manager)

    # when the list is read two at a time, and at once
    first = _names(client, url, key, {"limit": 2})
    second = _names(client, url, key, {"limit": 2, "offset": 2})
    everything = _names(client, url, key, {})

    # then the pages follow each other in the list's order
    assert (first, second, everything) == (expected[:2], expected[2:], expected)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/collection/registrations",
        "/api/v1/care/campaigns",
        "/api/v1/care/guests/{guest}/consents",
    ],
)
@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"offset": -1}])
def test_a_page_out_of_bounds_is_refused(
    manager: User, url: str, params: dict[str, int]
) -> None:
    guest = GuestFactory(full_name="林晓", phones=["13812345671"])

    response = _client(manager).get(url.format(guest=guest.pk), params)

    assert response.status_code == 422
    assert response.json()["code"]


def test_the_consent_history_counts_every_answer_beyond_the_page(
    manager: User,
) -> None:
    guest = GuestFactory(full_name="林晓", phones=["13812345671"])
    _consents(guest, 3)

    body = (
        _client(manager)
        .get(f"/api/v1/care/guests/{guest.pk}/consents", {"limit": 1})
        .json()
    )

    assert (body["history_count"], len(body["history"])) == (3, 1)


def test_the_default_page_holds_fifty(prop: Property, manager: User) -> None:
    names = _campaigns(prop, 51)

    found = _names(_client(manager), "/api/v1/care/campaigns", "name", {})
    rest = _names(_client(manager), "/api/v1/care/campaigns", "name", {"offset": 50})

    assert (found, rest) == (names[:50], names[50:])
