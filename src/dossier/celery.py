"""Celery for larger sites: the daily run started by beat, through Redis.

A single machine needs none of this: cron runs ``dossier run-daily``. Both paths run
the same jobs, and each day's work is claimed once in the database, so beat and cron
may even run side by side.

    celery -A dossier.celery worker
    celery -A dossier.celery beat
"""

import os

from celery import Celery  # type: ignore[import-untyped]
from celery.schedules import crontab  # type: ignore[import-untyped]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dossier.settings")

from django.conf import settings

app = Celery("dossier")
app.conf.update(
    broker_url=settings.DOSSIER_CELERY_BROKER,
    result_backend=settings.DOSSIER_CELERY_BROKER,
    result_expires=24 * 3600,
    timezone=settings.TIME_ZONE,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    beat_schedule={
        "daily-run": {
            "task": "dossier.care.run_daily",
            "schedule": crontab(hour=settings.DOSSIER_DAILY_HOUR, minute=0),
        },
        # Opt-out replies ("TD") and delivery reports wait at the gateway until fetched.
        "sms-poll": {
            "task": "dossier.messaging.sms_poll",
            "schedule": crontab(minute="*/5"),
        },
    },
)
app.autodiscover_tasks(["dossier.care", "dossier.messaging"])
