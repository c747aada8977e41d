"""Plain SQL for what the ORM builds slowly: a column among many values.

Django's ``__in`` writes one placeholder per value and adapts each one: past a few
hundred values, building the statement costs more than running it. Here the values
travel as one parameter, a PostgreSQL array or, for SQLite, a JSON array read by
``json_each``, however many there are.
"""

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection


def among(column: str, values: Sequence[str | int]) -> tuple[str, list[Any]]:
    """The condition that ``column`` (SQL) holds one of ``values``, and its one
    parameter."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(values))]
