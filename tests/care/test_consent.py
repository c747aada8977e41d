"""Consent per channel and purpose: the latest answer of a guest is its state."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from dossier.care.services import consent_record, consent_state, consent_states
from dossier.guests.errors import GuestError
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


def test_the_latest_answer_wins(manager: User) -> None:
    # given
    guest = GuestFactory(full_name="李娜")
    now = timezone.now()
    consent_record(
        actor=manager,
        guest=guest,
        channel="sms",
        purpose="marketing",
        granted=True,
        source="登记卡",
        at=now - timedelta(days=10),
    )

    # when
    consent_record(
        actor=manager,
        guest=guest,
        channel="sms",
        purpose="marketing",
        granted=False,
        source="短信回复“退订”",
        at=now,
    )

    # then
    assert consent_state(guest, "sms", "marketing") is False
    assert consent_state(guest, "sms", "service") is None
    assert consent_states(guest) == {("sms", "marketing"): False}


def test_an_unknown_channel_is_refused() -> None:
    # given
    guest = GuestFactory(full_name="李娜")

    # when
    with pytest.raises(GuestError) as refused:
        consent_record(
            actor=None,
            guest=guest,
            channel="fax",
            purpose="marketing",
            granted=True,
            source="表格",
        )

    # then
    assert (refused.value.field, refused.value.message) == (
        "channel",
        "未知的渠道：fax",
    )
    assert consent_states(guest) == {}
