"""Fixtures of messaging: the fake SMS gateway and the SMTP server, both on loopback."""

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.messaging.fake_gateway import FakeGateway, fake_gateway
from tests.messaging.smtp_server import Mailbox, smtp_server

API_KEY = "test-gateway-key"


@pytest.fixture
def gateway(settings: SettingsWrapper) -> Iterator[FakeGateway]:
    """A fake provider on loopback, and the settings that send SMS to it."""
    with fake_gateway(API_KEY) as fake:
        settings.DOSSIER_SMS_BACKEND = "http"
        settings.DOSSIER_SMS_URL = fake.url
        settings.DOSSIER_SMS_API_KEY = API_KEY
        settings.DOSSIER_SMS_TIMEOUT = 5
        yield fake


@pytest.fixture
def mailbox(settings: SettingsWrapper) -> Iterator[Mailbox]:
    """An SMTP server on loopback, and Django's SMTP backend pointed at it."""
    with smtp_server() as box:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = box.host
        settings.EMAIL_PORT = box.port
        settings.EMAIL_USE_TLS = False
        settings.DEFAULT_FROM_EMAIL = "前台 <frontdesk@hotel.test>"
        yield box
