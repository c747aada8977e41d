"""Recording what a guest agreed to: consent and opt-out per channel and purpose."""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from dossier.care.models import Consent, ConsentChannel, ConsentPurpose
from dossier.guests.errors import GuestError, GuestErrorCode
from dossier.guests.models import Guest

CHANNELS = tuple(ConsentChannel)
PURPOSES = tuple(ConsentPurpose)


def consent_record(
    *,
    actor: User | AnonymousUser | None,
    guest: Guest,
    channel: str,
    purpose: str,
    granted: bool,
    source: str,
    at: datetime | None = None,
) -> Consent:
    """Append one consent (``granted=True``) or opt-out of ``guest``.

    ``source`` says where it came from (a signed form, an SMS reply "退订"); ``at``
    is when the guest said it, now by default.
    """
    if channel not in ConsentChannel.values:
        raise GuestError(
            GuestErrorCode.INVALID_VALUE, f"未知的渠道：{channel}", field="channel"
        )
    if purpose not in ConsentPurpose.values:
        raise GuestError(
            GuestErrorCode.INVALID_VALUE, f"未知的用途：{purpose}", field="purpose"
        )
    if not source.strip():
        raise GuestError(
            GuestErrorCode.INVALID_VALUE, "请说明授权的来源", field="source"
        )
    return Consent.objects.create(
        guest=guest,
        channel=channel,
        purpose=purpose,
        granted=granted,
        at=at or timezone.now(),
        source=source.strip()[:200],
        recorded_by=actor if isinstance(actor, User) else None,
    )


def consent_state(guest: Guest, channel: str, purpose: str) -> bool | None:
    """The guest's latest answer for ``channel`` and ``purpose``; None if never asked."""
    latest = (
        Consent.objects.filter(guest=guest, channel=channel, purpose=purpose)
        .order_by("-at", "-id")
        .values_list("granted", flat=True)
        .first()
    )
    return latest


def consent_states(guest: Guest) -> dict[tuple[str, str], bool]:
    """Every answered (channel, purpose) of ``guest`` with its latest answer."""
    states: dict[tuple[str, str], bool] = {}
    rows = Consent.objects.filter(guest=guest).order_by("at", "id")
    for channel, purpose, granted in rows.values_list("channel", "purpose", "granted"):
        states[(channel, purpose)] = granted
    return states
