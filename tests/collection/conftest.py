"""Fixtures of the collection regime."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.test import Client

from dossier.guests.models import Guest, Observation

SHANGHAI = ZoneInfo("Asia/Shanghai")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def observed(
    staff: User, guest: Guest, at: str, *, touchpoint: str = "整理客房"
) -> Observation:
    """An observation filed at ``at``, a Shanghai wall-clock time."""
    return Observation.objects.create(
        guest=guest,
        department=staff.staff.department,  # type: ignore[attr-defined]
        staff=staff,
        touchpoint=touchpoint,
        observed_at=datetime.fromisoformat(at).replace(tzinfo=SHANGHAI),
        text="茶杯中的茶叶：普洱",
    )
