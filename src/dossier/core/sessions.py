"""Sessions in the database, read with one plain statement.

Every request of a logged-in user reads its session; through the ORM that read cost
more CPU than the look-up it served. The row is still read from the database on every
request, so a logout, an expiry or a session ended in another server process takes
effect on the next request in every process; only the query compilation is saved.
Writes (login, logout, rotation, expiry clearing) are Django's own.
"""

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseStore):
    def load(self) -> dict[str, Any]:
        data = self._data_read()
        if data is None:
            # As Django's store: an unknown or expired key is not kept, so a new
            # session gets a new key rather than the one the browser sent.
            self._session_key = None
            return {}
        decoded: dict[str, Any] = self.decode(data)
        return decoded

    def _data_read(self) -> str | None:
        """The stored data of this session unless it has expired."""
        connection = connections[router.db_for_read(self.model)]
        quote = connection.ops.quote_name
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('session_data')} FROM "
                f"{quote(self.model._meta.db_table)} "
                f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        return None if row is None else str(row[0])
