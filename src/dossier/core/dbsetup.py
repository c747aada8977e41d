"""Per-connection tuning of the database."""

from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model


def tune_connection(
    sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """Give every SQLite connection a busy timeout, also in tests' own connections."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 20000")


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
