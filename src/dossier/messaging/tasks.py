"""Celery task of messaging: fetch the gateway's delivery reports and replies."""

from typing import Any

from celery import shared_task  # type: ignore[import-untyped]

from dossier.messaging.services import sms_poll


@shared_task(name="dossier.messaging.sms_poll")  # type: ignore[untyped-decorator]
def sms_poll_task() -> dict[str, Any]:
    """The same as ``dossier sms_poll``; a reply handled twice is recorded once."""
    report = sms_poll()
    return {"reports": report.reports, "replies": report.replies}
