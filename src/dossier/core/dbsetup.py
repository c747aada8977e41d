"""Per-connection tuning of the database."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Model

# psycopg's own default: a statement of :func:`prepared_cursor` is prepared when it
# has run this many times on the connection.
PREPARE_THRESHOLD = 5


def tune_connection(
    sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """Give every SQLite connection a busy timeout, also in tests' own connections.

    On PostgreSQL, let :func:`prepared_cursor` prepare its statements unless the
    database's ``OPTIONS`` say otherwise (``"prepare_threshold": None`` for a pooler
    that cannot keep them). Django's own cursors bind on the client and never
    prepare, whatever this says.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 20000")
    options = connection.settings_dict.get("OPTIONS", {})
    if connection.vendor == "postgresql" and "prepare_threshold" not in options:
        connection.connection.prepare_threshold = PREPARE_THRESHOLD


# A write of this many rows changes a table enough that PostgreSQL's planner should
# read fresh statistics before the next look-up.
STATISTICS_ROWS = 10_000


def statistics_refresh(*models: type[Model], rows: int = STATISTICS_ROWS) -> None:
    """Have PostgreSQL sample ``models``' tables again after a bulk write of ``rows``.

    Autovacuum does this in time on most servers, but it may be off or behind a large
    import; until then the planner may take an index look-up for a scan of millions
    of rows. SQLite plans from its indexes alone and needs nothing.
    """
    if connection.vendor != "postgresql" or rows < STATISTICS_ROWS:
        return
    with connection.cursor() as cursor:
        for model in dict.fromkeys(models):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    """A cursor for the statements run on every keystroke at the desk.

    PostgreSQL plans a statement of many subqueries in longer than it runs it. This
    cursor binds parameters on the server, so that the driver prepares a statement
    that runs again and again on the connection (see :data:`PREPARE_THRESHOLD`) and
    the server may reuse its plan: use it only for statements whose best plan does
    not hang on the values (keys and ids, not ``LIKE`` patterns). On SQLite, which
    plans in microseconds, it is the ordinary cursor.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw: Any = psycopg.Cursor(connection.connection)
    if connection.queries_logged:
        cursor = connection.make_debug_cursor(raw)
    else:
        cursor = connection.make_cursor(raw)
    with cursor:
        yield cursor
