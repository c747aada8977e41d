"""``python -m bench.importer FILE``: one import commit in a process of its own.

Prints one JSON line: rows, seconds, whether it committed, the CPU seconds the
process was given (on a shared machine far fewer than the seconds it took), the
process's peak resident memory, which is why it runs alone, and what the import
logged of its parts (reading, checking, writing, the duplicate check).
"""

import json
import logging
import os
import resource
import sys
import time
from pathlib import Path


def main(path: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dossier.settings")
    import django

    django.setup()
    from django.core.files import File

    from dossier.core.properties import property_default
    from dossier.imports.services import import_commit, job_create

    source = Path(path)
    with source.open("rb") as handle:
        job = job_create(
            actor=None,
            property=property_default(),
            kind="guests",
            file=File(handle),
            name=source.name,
        )
    logged = _Kept()
    for name in ("dossier.imports", "dossier.duplicates"):
        logging.getLogger(name).addHandler(logged)
    started, cpu_started = time.perf_counter(), time.process_time()
    report = import_commit(job=job, actor=None)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "rows": report.total_rows,
        "created": report.created,
        "updated": report.updated,
        "rejected": report.rejected_rows,
        "committed": report.committed,
        "error": report.error,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_mb": peak_kb / 1024,
        "log": logged.messages,
    }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0 if report.committed else 1


class _Kept(logging.Handler):
    """The messages logged at INFO or above, in order."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
