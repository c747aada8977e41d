"""Delivery reports and replies pushed by the fake gateway to the live test server."""

import json
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from dossier.care.models import Consent
from dossier.care.services import consent_state
from dossier.messaging.models import InboundMessage, Message, MessageStatus
from dossier.messaging.services import message_send
from tests.factories import GuestFactory
from tests.messaging.fake_gateway import FakeGateway

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "callback-secret-0123456789"


@pytest.fixture
def callback(live_server: Any, gateway: FakeGateway, settings: SettingsWrapper) -> str:
    """The callback URL of the live server, with the secret shared with the gateway."""
    settings.DOSSIER_SMS_CALLBACK_SECRET = SECRET
    return f"{live_server.url}/messaging/sms/callback/"


def _sent(to: str, key: str) -> Message:
    # Outside a transaction the message is delivered to the gateway at once.
    message = message_send(channel="sms", to=to, body="【如家酒店】生日快乐",
                           purpose="service", idempotency_key=key)  # fmt: skip
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    return message


def _state(message: Message) -> tuple[str, str, str | None]:
    message.refresh_from_db()
    at = message.delivered_at.isoformat() if message.delivered_at else None
    return message.status, message.error_code, at


def test_a_pushed_delivery_report_is_recorded_once(
    gateway: FakeGateway, callback: str
) -> None:
    # given a sent message
    message = _sent("13800138000", "k1")

    # when the gateway pushes its delivery report, then the same report again
    gateway.state.deliver(message.provider_id)
    first = gateway.push(callback, SECRET)
    after_first = _state(message)
    gateway.state.deliver(message.provider_id)
    second = gateway.push(callback, SECRET)

    # then the message is delivered at the reported time, and the repeat changed nothing
    assert (first.status, first.body) == (200, {"reports": 1, "replies": 0})
    assert after_first == ("delivered", "", "2027-02-28T01:00:05+00:00")
    assert second.status == 200
    assert _state(message) == after_first


def test_a_pushed_failure_is_recorded_with_its_code(
    gateway: FakeGateway, callback: str
) -> None:
    message = _sent("13800138001", "k-fail")
    raw = json.dumps(
        {
            "reports": [
                {"id": message.provider_id, "status": "failed", "code": "MK:0001"}
            ]
        }
    ).encode()

    pushed = gateway.push(callback, SECRET, raw=raw)

    assert pushed.status == 200
    assert _state(message) == ("failed", "MK:0001", None)


def test_a_pushed_blacklisted_report_opts_every_profile_out_once(
    gateway: FakeGateway, callback: str
) -> None:
    # given two profiles sharing a mobile the message went to
    first = GuestFactory(full_name="欧阳娜娜", phones=["13800138002"])
    second = GuestFactory(full_name="欧阳娜", phones=["13800138002"])
    message = _sent("13800138002", "k-bl")

    # when the gateway pushes "blacklisted" twice
    for _ in range(2):
        gateway.state.deliver(message.provider_id, status="blacklisted")
        assert gateway.push(callback, SECRET).status == 200

    # then both profiles are opted out, by one opt-out each
    assert _state(message) == ("rejected", "blacklisted", None)
    for guest in (first, second):
        assert consent_state(guest, "sms", "marketing") is False
        assert Consent.objects.filter(guest=guest).count() == 1


def test_pushed_replies_opt_out_or_go_to_the_inbox(
    gateway: FakeGateway, callback: str
) -> None:
    # given two profiles sharing a number, and a third guest
    first = GuestFactory(full_name="李四", phones=["13800138003"])
    second = GuestFactory(full_name="李四", phones=["+86 138 0013 8003"])
    other = GuestFactory(full_name="王五", phones=["13800138004"])

    # when the shared number replies 退订 and the other asks about T-shirts, and the
    # gateway pushes the first reply again in a later post
    gateway.state.reply("+8613800138003", "退订。", "r1")
    gateway.state.reply("13800138004", "T恤还有吗", "r2")
    pushed = gateway.push(callback, SECRET)
    gateway.state.reply("+8613800138003", "退订。", "r1")
    again = gateway.push(callback, SECRET)

    # then both sharing profiles are opted out once each, and the question waits
    assert (pushed.status, pushed.body) == (200, {"reports": 0, "replies": 2})
    assert again.status == 200
    assert consent_state(first, "sms", "marketing") is False
    assert consent_state(second, "sms", "marketing") is False
    assert consent_state(other, "sms", "marketing") is None
    assert Consent.objects.filter(guest=first).count() == 1
    replies = InboundMessage.objects.order_by("id")
    assert [(r.from_address, r.body, r.is_opt_out, r.guest_id) for r in replies] == [
        ("+8613800138003", "退订。", True, None),
        ("+8613800138004", "T恤还有吗", False, other.pk),
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"signature": ""}, "缺少签名或时间戳"),
        ({"timestamp": ""}, "缺少签名或时间戳"),
        ({"signature": "sha256=" + "0" * 64}, "签名不正确"),
        ({"signature": "sha256=\xe9t\xe9"}, "签名不正确"),
        ({"timestamp": "12e3"}, "时间戳应是 Unix 秒数"),
        (
            {"timestamp": str(int(time.time()) - 3600)},
            "时间戳与服务器时间相差超过 5 分钟",
        ),
        ({"secret": "another-secret-0123456789"}, "签名不正确"),
    ],
)
def test_a_post_not_signed_with_the_secret_is_refused(
    gateway: FakeGateway, callback: str, change: dict[str, str], message: str
) -> None:
    # given a reply asking to opt out
    guest = GuestFactory(full_name="张三", phones=["13800138005"])
    gateway.state.reply("+8613800138005", "TD", "r5")

    # when it is pushed without a right signature
    secret = change.pop("secret", SECRET)
    pushed = gateway.push(callback, secret, **change)

    # then it is refused and nothing was recorded
    assert (pushed.status, pushed.body) == (
        403,
        {"code": "forbidden", "message": message},
    )
    assert InboundMessage.objects.count() == 0
    assert consent_state(guest, "sms", "marketing") is None


def test_without_a_secret_every_push_is_refused(
    gateway: FakeGateway, callback: str, settings: SettingsWrapper
) -> None:
    settings.DOSSIER_SMS_CALLBACK_SECRET = ""
    gateway.state.reply("+8613800138006", "TD", "r6")

    pushed = gateway.push(callback, SECRET)

    assert pushed.status == 403
    assert pushed.body["message"] == "未配置短信回调密钥，不接收推送"
    assert InboundMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe", "内容不是 UTF-8 编码的 JSON"),
        (b"[1, 2]", "内容应是含 reports 和 replies 的 JSON 对象"),
        (b'{"replies": {"id": "r1"}}', "replies 应是列表"),
        (b'{"reports": [7]}', "reports[0]: 每一项都应是 JSON 对象"),
        (
            b'{"reports": [{"status": "delivered"}]}',
            "reports[0]: 缺少字段 id，或它不是文字",
        ),
        (
            b'{"reports": [{"id": " ", "status": "delivered"}]}',
            "reports[0]: 字段 id 不能为空",
        ),
        (
            b'{"reports": [{"id": "m1", "status": "delivered", "at": "yesterday"}]}',
            "reports[0]: 字段 at 应是 ISO 8601 时间，例如 2027-02-28T09:00:05+08:00",
        ),
        (
            b'{"replies": [{"id": "r1", "from": "12345", "text": "TD"}]}',
            "replies[0]: from 不是有效的号码：",
        ),
        (
            b'{"replies": [{"id": "r1", "from": "13800138007", "text": "T\\u0000D"}]}',
            "replies[0]: 字段 text 不能包含空字符",
        ),
        (
            b'{"replies": [{"id": "'
            + b"x" * 101
            + b'", "from": "13800138007", "text": ""}]}',
            "replies[0]: 字段 id 超过 100 个字符",
        ),
    ],
)
def test_a_signed_post_that_cannot_be_read_is_refused_whole(
    gateway: FakeGateway, callback: str, raw: bytes, message: str
) -> None:
    # given a post whose first item is good and whose second is not
    good = b'{"replies": [{"id": "ok", "from": "13800138008", "text": "TD"}], '
    posted = good + raw[1:] if raw.startswith(b'{"reports"') else raw

    # when it is pushed, signed
    pushed = gateway.push(callback, SECRET, raw=posted)

    # then it is refused with the fault named, and not even the good item was kept
    assert pushed.status == 400
    assert pushed.body["code"] == "invalid"
    assert pushed.body["message"].startswith(message)
    assert InboundMessage.objects.count() == 0


def test_the_callback_answers_only_posts(callback: str) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(callback, timeout=10)

    assert refused.value.code == 405


def test_a_post_too_large_to_read_is_refused_without_a_traceback(
    gateway: FakeGateway, callback: str
) -> None:
    # given a post beyond DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB)
    raw = b'{"replies": [], "pad": "' + b"x" * (11 * 1024 * 1024) + b'"}'

    # when it is pushed
    pushed = gateway.push(callback, SECRET, raw=raw)

    # then it is refused as a bad request
    assert pushed.status == 400
    assert InboundMessage.objects.count() == 0
