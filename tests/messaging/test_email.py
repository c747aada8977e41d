"""E-mail through Django's SMTP backend to a real SMTP server on loopback."""

import pytest
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from dossier.messaging.models import Message, MessageStatus
from dossier.messaging.services import message_send
from tests.messaging.smtp_server import Mailbox

pytestmark = pytest.mark.django_db


def test_a_greeting_reaches_the_smtp_server_in_utf8(
    mailbox: Mailbox, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # given a birthday greeting in Chinese
    # when it is sent and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(
            channel="email",
            to="ouyang.nana@example.com",
            subject="欧阳女士，生日快乐",
            body="尊敬的欧阳女士：\n祝您生日快乐！前台为您备好了长寿面。",
            purpose="service",
            idempotency_key="birthday:1:2027-02-28:email",
        )

    # then the server received exactly that message
    assert len(mailbox.received) == 1
    received = mailbox.received[0]
    assert received["Subject"] == "欧阳女士，生日快乐"
    assert received["To"] == "ouyang.nana@example.com"
    assert mailbox.recipients == [["ouyang.nana@example.com"]]
    assert received.get_content_charset() == "utf-8"
    # SMTP carries lines ended by CRLF
    assert received.get_content().replace("\r\n", "\n") == (
        "尊敬的欧阳女士：\n祝您生日快乐！前台为您备好了长寿面。\n"
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.provider_id == received["Message-ID"]


def test_nothing_is_sent_before_the_commit(
    mailbox: Mailbox, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # given a message queued in a transaction that has not committed
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message_send(
            channel="email",
            to="guest@example.com",
            subject="问候",
            body="您好",
            purpose="service",
            idempotency_key="k-uncommitted",
        )

    # then nothing reached the server and the message is still queued
    assert len(callbacks) == 1
    assert mailbox.received == []
    assert Message.objects.get().status == MessageStatus.QUEUED


def test_an_unreachable_smtp_server_fails_the_message(
    mailbox: Mailbox,
    settings: object,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given the SMTP server's port is closed
    mailbox_port = mailbox.port
    setattr(settings, "EMAIL_PORT", 1)  # noqa: B010

    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(
            channel="email",
            to="guest@example.com",
            subject="问候",
            body="您好",
            purpose="service",
            idempotency_key="k-down",
        )

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.error
    assert mailbox.received == []
    assert mailbox_port != 1
