"""How far an import has got, readable from another request while it runs.

The commit runs inside one transaction, so progress written to the database would
stay invisible to other connections until the end (and on SQLite a second writer
would wait on the lock). Progress therefore goes to Django's cache, which every
backend shares between the threads of a process; a deployment with several worker
processes needs a shared cache (Redis or the database cache) for the bar to move.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from dossier.imports.models import ImportJob

TTL_SECONDS = 6 * 3600
EVERY_ROWS = 500

Listener = Callable[[str, int, int], None]


def _key(job_id: int) -> str:
    return f"dossier:imports:progress:{job_id}"


def progress_get(job: ImportJob) -> dict[str, Any]:
    """``{"phase", "done", "total"}`` of the job, from the cache or the job itself."""
    found = cache.get(_key(job.pk))
    if isinstance(found, dict):
        return found
    return {"phase": job.status, "done": job.done_rows, "total": job.total_rows}


@dataclass
class Ticker:
    """Reports every ``EVERY_ROWS`` rows to the cache and to an optional listener."""

    job_id: int
    listener: Listener | None = None
    phase: str = ""
    total: int = 0

    def start(self, phase: str, total: int) -> None:
        self.phase, self.total = phase, total
        self._send(0)

    def tick(self, done: int) -> None:
        if done % EVERY_ROWS == 0 or done == self.total:
            self._send(done)

    def _send(self, done: int) -> None:
        cache.set(
            _key(self.job_id),
            {"phase": self.phase, "done": done, "total": self.total},
            TTL_SECONDS,
        )
        if self.listener is not None:
            self.listener(self.phase, done, self.total)

    def finish(self) -> None:
        cache.delete(_key(self.job_id))
