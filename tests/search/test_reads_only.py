"""What the desk asks most, a look-up and a card, only reads: on SQLite a write would
wait behind a running import's transaction, and every clerk with it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import GuestFactory, add_stay

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN IMMEDIATE", "SAVEPOINT")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/guests/lookup?q=13812341234&limit=5",
        "/api/v1/guests/lookup?q=王+812&limit=5",
        "/api/v1/guests/lookup?q=T47&limit=5",
        "/api/v1/guests/{id}/card",
        "/lookup/?q=13812341234",
    ],
)
def test_a_look_up_or_a_card_writes_nothing(searcher: Client, prop, path: str) -> None:
    # given a guest, and a first request that has set up the session
    guest = GuestFactory(full_name="王五", phones=["13812341234"])
    add_stay(guest, days_ago=1, nights=3, room="0812", status="in_house")
    url = path.format(id=guest.pk)
    assert searcher.get(url, headers={"HX-Request": "true"}).status_code == 200

    # when
    with CaptureQueriesContext(connection) as queries:
        response = searcher.get(url, headers={"HX-Request": "true"})

    # then
    assert response.status_code == 200
    assert queries.captured_queries
    written = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].upper().startswith(WRITES)
    ]
    assert written == []
