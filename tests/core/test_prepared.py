"""The desk's statements are planned once per connection on PostgreSQL."""

from collections.abc import Iterator

import pytest
from django.db import connection

from dossier.core.dbsetup import PREPARE_THRESHOLD, prepared_cursor, tune_connection
from dossier.guests.models import Guest
from dossier.guests.selectors import CardViewer, guest_cards
from dossier.search.selectors import guest_lookup
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite prepares nothing to reuse"
)
VIEWER = CardViewer(department="fnb", sees_full_id=False, sees_spend=False)


def plans(pattern: str) -> list[tuple[int, int]]:
    """(generic plans, custom plans) of the connection's prepared statements whose
    text is ``LIKE pattern``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            [pattern],
        )
        return [tuple(row) for row in cursor.fetchall()]


@postgresql
@pytest.mark.parametrize(
    ("count", "ending"), [(1, "WHERE g.id = $3"), (3, "WHERE g.id IN ($3, $4, $5)")]
)
def test_the_card_statement_is_prepared_and_its_plan_reused(
    prop, count, ending
) -> None:
    # given guests
    ids = [GuestFactory(full_name=f"王{n}", phones=[f"1380000{n:04d}"]).pk
           for n in range(count)]  # fmt: skip

    # when the desk reads their cards again and again
    for _ in range(PREPARE_THRESHOLD + 10):
        guest_cards(ids, viewer=VIEWER)

    # then the server keeps one statement and stops planning it
    ((generic, custom),) = plans(f'SELECT g."id"%{ending}')
    assert generic > 0
    assert custom <= PREPARE_THRESHOLD


def test_the_prepared_cursor_reads_as_any_cursor(prop) -> None:
    guest = GuestFactory(full_name="王伟")

    with prepared_cursor() as cursor:
        cursor.execute("SELECT full_name FROM guests_guest WHERE id = %s", [guest.pk])
        assert cursor.fetchall() == [("王伟",)]


@pytest.fixture
def options() -> Iterator[dict[str, object]]:
    saved = dict(connection.settings_dict["OPTIONS"])
    connection.ensure_connection()
    yield connection.settings_dict["OPTIONS"]
    connection.settings_dict["OPTIONS"] = saved
    tune_connection(sender=None, connection=connection)


@postgresql
def test_a_database_told_not_to_prepare_prepares_nothing(options) -> None:
    # given a database whose OPTIONS turn prepared statements off (for a pooler)
    options["prepare_threshold"] = None
    connection.connection.prepare_threshold = None

    # when a connection to it is made
    tune_connection(sender=None, connection=connection)

    # then it still prepares nothing
    assert connection.connection.prepare_threshold is None


@postgresql
def test_a_new_connection_prepares_the_desks_statements(options) -> None:
    connection.connection.prepare_threshold = None

    tune_connection(sender=None, connection=connection)

    assert connection.connection.prepare_threshold == PREPARE_THRESHOLD


@postgresql
def test_the_look_up_statement_is_prepared_and_finds_each_key(prop) -> None:
    # given guests whose keys share starts
    for name in ("王小明", "王晓东", "黄小红", "汪洋"):
        GuestFactory(full_name=name)

    def found(query: str) -> set[str]:
        hits = guest_lookup(property_id=prop.pk, query=query)
        return {Guest.objects.get(pk=hit.guest_id).full_name for hit in hits}

    queries = ["wangx", "wang", "wangxiaom", "hx", "huangxiaohong", "xh", "王", "汪洋"]

    def each_found(mode: str) -> list[set[str]]:
        with connection.cursor() as cursor:
            cursor.execute(f"SET plan_cache_mode = {mode}")
        try:
            return [found(query) for query in queries]
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET plan_cache_mode")

    # when the desk types them again and again, past the point where the driver
    # prepares the statement, planned for each key and planned once for any key
    for _ in range(PREPARE_THRESHOLD):
        each_found("auto")
    custom, generic = each_found("force_custom_plan"), each_found("force_generic_plan")

    # then a plan for any key finds what a plan for each key finds
    assert generic == custom
    assert custom[2] == {"王小明"}
    assert custom[-1] == {"汪洋"}
    assert any(generic > 0 for generic, _ in plans("%UNION ALL%"))
