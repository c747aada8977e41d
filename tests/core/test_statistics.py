"""After a bulk write PostgreSQL's planner is given fresh statistics."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossier.core.dbsetup import STATISTICS_ROWS, statistics_refresh
from dossier.guests.models import Guest, GuestPhone

pytestmark = pytest.mark.django_db


def analysed(rows: int) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        statistics_refresh(Guest, GuestPhone, Guest, rows=rows)
    return [q["sql"] for q in queries.captured_queries if "ANALYZE" in q["sql"]]


def test_a_large_write_has_each_table_analysed_once_on_postgresql() -> None:
    found = analysed(STATISTICS_ROWS)

    if connection.vendor == "postgresql":
        assert found == ['ANALYZE "guests_guest"', 'ANALYZE "guests_guestphone"']
    else:
        assert found == []


def test_a_small_write_leaves_the_statistics_alone() -> None:
    assert analysed(STATISTICS_ROWS - 1) == []
