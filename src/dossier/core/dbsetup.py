"""Per-connection tuning of the database."""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper


def tune_connection(
    sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """Give every SQLite connection a busy timeout, also in tests' own connections."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 20000")
