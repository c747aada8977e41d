"""message_send: once per idempotency key, after commit, marketing only with consent."""

import pytest
from django.db import transaction
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from dossier.messaging.errors import MessageError, MessageErrorCode
from dossier.messaging.models import Message, MessageStatus
from dossier.messaging.services import message_deliver, message_send, opt_out_number
from tests.factories import GuestFactory
from tests.messaging.fake_gateway import FakeGateway

pytestmark = pytest.mark.django_db


def _greeting(key: str = "birthday:7:2027-02-28:sms", **extra: object) -> Message:
    values: dict[str, object] = {
        "channel": "sms",
        "to": "13800138010",
        "body": "祝您生日快乐！",
        "purpose": "service",
        "idempotency_key": key,
        **extra,
    }
    return message_send(**values)  # type: ignore[arg-type]


def test_the_same_greeting_is_sent_once(
    gateway: FakeGateway,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given the daily job runs twice, at 09:00 and 09:01
    with django_capture_on_commit_callbacks(execute=True):
        first = _greeting()
    with django_capture_on_commit_callbacks(execute=True) as second_run:
        second = _greeting()

    # then one message exists, posted once, and the second run queued nothing
    assert first.pk == second.pk
    assert Message.objects.count() == 1
    assert len(gateway.state.sent) == 1
    assert second_run == []


def test_a_message_is_delivered_once_even_if_dispatched_twice(
    gateway: FakeGateway,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = _greeting()

    assert message_deliver(message_id=message.pk) is None
    assert len(gateway.state.sent) == 1


def test_a_rolled_back_change_sends_nothing(
    gateway: FakeGateway,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given a greeting queued inside a transaction that then fails
    def change() -> None:
        with transaction.atomic():
            _greeting()
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change()

    # then nothing was written and nothing sent
    assert Message.objects.count() == 0
    assert gateway.state.sent == []


def test_marketing_needs_consent(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    consent = pytest.importorskip("dossier.care.services")
    guest = GuestFactory(full_name="赵六", phones=["13800138011"])

    # given no answer yet: refused, nothing queued
    with pytest.raises(MessageError) as refused:
        _greeting("promo:1", purpose="marketing", guest=guest)
    assert refused.value.code == MessageErrorCode.NO_CONSENT
    assert Message.objects.count() == 0

    # given consent: queued
    consent.consent_record(
        actor=None,
        guest=guest,
        channel="sms",
        purpose="marketing",
        granted=True,
        source="登记卡",
    )
    with django_capture_on_commit_callbacks(execute=True):
        message = _greeting("promo:1", purpose="marketing", guest=guest)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT

    # given an opt-out of the number afterwards: refused again
    assert opt_out_number(e164="+8613800138011", source="短信回复“TD”") == [guest.pk]
    with pytest.raises(MessageError):
        _greeting("promo:2", purpose="marketing", guest=guest)


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("to", {"to": "12345"}),
        ("to", {"channel": "email", "to": "not-an-address"}),
        ("body", {"body": "  "}),
        ("channel", {"channel": "fax"}),
        ("purpose", {"purpose": "spam"}),
    ],
)
def test_bad_input_is_refused_and_nothing_is_queued(
    field: str, values: dict[str, str]
) -> None:
    with pytest.raises(MessageError) as refused:
        _greeting(**values)

    assert refused.value.field == field
    assert Message.objects.count() == 0


def test_a_preview_is_stored_with_parts_and_cost() -> None:
    message = _greeting(body="好" * 71)

    assert (message.parts, str(message.cost)) == (2, "0.10")
