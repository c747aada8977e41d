"""SMS through the HTTP gateway adapter, against a fake provider on loopback."""

import json
from pathlib import Path

import pytest
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks
from pytest_django.fixtures import Settings as SettingsWrapper

from dossier.guests.models import Guest
from dossier.messaging.models import InboundMessage, Message, MessageStatus
from dossier.messaging.services import message_send, sms_poll
from tests.factories import GuestFactory
from tests.messaging.fake_gateway import FakeGateway

pytestmark = pytest.mark.django_db


def _send(
    callbacks: DjangoCaptureOnCommitCallbacks, to: str, key: str, **extra: object
) -> Message:
    with callbacks(execute=True):
        message = message_send(
            channel="sms",
            to=to,
            body="【如家酒店】欧阳女士，祝您生日快乐！",
            purpose="service",
            idempotency_key=key,
            **extra,  # type: ignore[arg-type]
        )
    message.refresh_from_db()
    return message


def test_an_accepted_sms_is_sent_then_delivered(
    gateway: FakeGateway,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given a message the gateway accepts
    message = _send(django_capture_on_commit_callbacks, "138 0013 8000", "k1")

    # then it was posted once, in E.164, with the text as written
    assert message.status == MessageStatus.SENT
    assert message.provider_id == "fake-1"
    assert gateway.state.sent == [
        {
            "to": "+8613800138000",
            "text": "【如家酒店】欧阳女士，祝您生日快乐！",
            "reference": "k1",
            "id": "fake-1",
        }
    ]

    # when the gateway reports delivery and the reports are pulled
    gateway.state.deliver("fake-1")
    report = sms_poll()

    # then the message is delivered at the reported time
    message.refresh_from_db()
    assert (report.reports, report.replies) == (1, 0)
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at is not None
    assert message.delivered_at.isoformat() == "2027-02-28T01:00:05+00:00"


def test_a_refused_number_is_rejected_with_the_gateways_code(
    gateway: FakeGateway,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given a Hong Kong mobile, which this provider does not serve
    message = _send(django_capture_on_commit_callbacks, "+852 5123 4567", "k-hk")

    assert message.status == MessageStatus.REJECTED
    assert (message.error_code, message.error) == ("INVALID_NUMBER", "号码无效")
    assert gateway.state.sent == []


def test_a_blacklisted_number_opts_out_every_profile_sharing_it(
    gateway: FakeGateway,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given two profiles with the same mobile, which the gateway has blacklisted
    consent = pytest.importorskip("dossier.care.services")
    first = GuestFactory(full_name="欧阳娜娜", phones=["13800138001"])
    second = GuestFactory(full_name="欧阳娜", phones=["13800138001"])
    gateway.state.blacklist.add("+8613800138001")

    # when a message is sent to it
    message = _send(django_capture_on_commit_callbacks, "13800138001", "k-bl")

    # then it is rejected and both profiles are opted out of SMS marketing
    assert message.status == MessageStatus.REJECTED
    assert message.error_code == "BLACKLISTED"
    for guest in (first, second):
        assert consent.consent_state(guest, "sms", "marketing") is False


def test_a_blacklisted_delivery_report_is_an_opt_out(
    gateway: FakeGateway,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    consent = pytest.importorskip("dossier.care.services")
    guest = GuestFactory(full_name="张三", phones=["13800138002"])
    message = _send(django_capture_on_commit_callbacks, "13800138002", "k-r")

    gateway.state.deliver(message.provider_id, status="blacklisted")
    sms_poll()

    message.refresh_from_db()
    assert message.status == MessageStatus.REJECTED
    assert consent.consent_state(guest, "sms", "marketing") is False


def test_replies_opt_out_or_go_to_the_inbox(gateway: FakeGateway) -> None:
    # given two profiles sharing a number, and a third guest
    consent = pytest.importorskip("dossier.care.services")
    first = GuestFactory(full_name="李四", phones=["13800138003"])
    second = GuestFactory(full_name="李四", phones=["+86 138 0013 8003"])
    other = GuestFactory(full_name="王五", phones=["13800138004"])

    # when the shared number replies ＴＤ, the other guest asks about T-shirts, and
    # the gateway hands the first reply over again
    gateway.state.reply("+8613800138003", "ＴＤ", "r1")
    gateway.state.reply("+8613800138004", "T恤还有吗", "r2")
    gateway.state.reply("+8613800138003", "ＴＤ", "r1")
    report = sms_poll()

    # then both sharing profiles are opted out, once each, and the question waits
    assert report.replies == 3
    assert consent.consent_state(first, "sms", "marketing") is False
    assert consent.consent_state(second, "sms", "marketing") is False
    assert consent.consent_state(other, "sms", "marketing") is None
    assert first.consents.count() == 1
    replies = InboundMessage.objects.order_by("id")
    assert [(r.body, r.is_opt_out, r.guest_id) for r in replies] == [
        ("ＴＤ", True, None),
        ("T恤还有吗", False, other.pk),
    ]


def test_a_wrong_api_key_fails_the_message_without_blaming_the_number(
    gateway: FakeGateway,
    settings: SettingsWrapper,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.DOSSIER_SMS_API_KEY = "wrong"

    message = _send(django_capture_on_commit_callbacks, "13800138005", "k-key")

    assert message.status == MessageStatus.FAILED
    assert message.error == "the SMS gateway refused the API key (401)"
    assert message.error_code == ""


def test_an_unreachable_gateway_fails_the_message(
    settings: SettingsWrapper,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given a gateway URL where nothing listens
    settings.DOSSIER_SMS_BACKEND = "http"
    settings.DOSSIER_SMS_URL = "http://127.0.0.1:1"
    settings.DOSSIER_SMS_API_KEY = "k"

    message = _send(django_capture_on_commit_callbacks, "13800138006", "k-down")

    assert message.status == MessageStatus.FAILED
    assert message.error.startswith("SMS gateway unreachable")


def test_the_default_backend_writes_to_a_file_and_sends_nothing(
    settings: SettingsWrapper,
    tmp_path: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given the settings of a demo install
    assert settings.DOSSIER_SMS_BACKEND == "console"
    settings.DOSSIER_SMS_OUTBOX = tmp_path / "sms.jsonl"

    message = _send(django_capture_on_commit_callbacks, "13800138007", "k-demo")

    lines = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["to"] for line in lines] == ["+8613800138007"]
    assert message.status == MessageStatus.SENT
    assert message.provider_id.startswith("console-")
    assert Guest.objects.count() == 0


def test_a_campaign_fetches_waiting_replies_before_it_chooses_whom_to_send_to(
    gateway: FakeGateway,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from dossier.care.campaigns import CampaignInput, campaign_save, campaign_send
    from dossier.care.services import consent_record
    from dossier.core.properties import property_default

    # given two guests who agreed to marketing; one has since replied TD, and the
    # reply still waits at the gateway
    stays, leaves = (GuestFactory(full_name=n, phones=[p]) for n, p in
                     (("李四", "13800138011"), ("王五", "13800138012")))  # fmt: skip
    for guest in (stays, leaves):
        consent_record(actor=None, guest=guest, channel="sms", purpose="marketing",
                       granted=True, source="登记卡")  # fmt: skip
    gateway.state.reply("+8613800138012", "退订", "r9")
    campaign = campaign_save(actor=None, prop=property_default(), data=CampaignInput(
        name="冬季火锅节", channel="sms", body="{称呼}，冬季火锅节八折！"))  # fmt: skip

    # when the campaign is sent
    with django_capture_on_commit_callbacks(execute=True):
        outcome = campaign_send(actor=None, campaign=campaign)

    # then the opt-out was read first: only the guest who stayed in gets the text
    assert outcome.sent == 1
    assert [m["to"] for m in gateway.state.sent] == ["+8613800138011"]
    assert Message.objects.filter(guest=leaves).count() == 0


def test_a_pulled_item_that_cannot_be_read_is_skipped_and_the_rest_recorded(
    gateway: FakeGateway,
) -> None:
    # given a reply without a sender between two good ones
    gateway.state.reply("+8613800138021", "请回电", "r-a")
    gateway.state.replies.append({"id": "r-b", "text": "TD"})
    gateway.state.reply("13800138022", "好的", "r-c")

    # when the replies are pulled
    sms_poll()

    # then the readable ones are kept, the sender in E.164
    kept = InboundMessage.objects.order_by("id")
    assert [(r.provider_id, r.from_address) for r in kept] == [
        ("r-a", "+8613800138021"),
        ("r-c", "+8613800138022"),
    ]
