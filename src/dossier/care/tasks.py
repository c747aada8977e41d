"""Celery tasks of care: the daily run, for beat on larger sites."""

from datetime import date
from typing import Any

from celery import shared_task  # type: ignore[import-untyped]

from dossier.care.daily import run_daily


@shared_task(name="dossier.care.run_daily")  # type: ignore[untyped-decorator]
def run_daily_task(
    today: str | None = None, property_code: str | None = None
) -> list[dict[str, Any]]:
    """The same run as ``dossier run-daily``; safe to deliver twice."""
    runs = run_daily(
        today=date.fromisoformat(today) if today else None,
        trigger="celery",
        property_code=property_code,
    )
    return [
        {
            "property": run.property.code,
            "today": run.today.isoformat(),
            "created": run.created,
            "sent": run.sent,
            "skipped": run.skipped,
            "missed": run.missed,
            "failed": run.failed,
        }
        for run in runs
    ]
