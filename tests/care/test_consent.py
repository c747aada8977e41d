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


def test_staff_see_and_record_consent_on_the_guest_page(
    manager: User, make_staff
) -> None:
    from django.test import Client

    # given a guest who signed up for SMS marketing on the registration card
    guest = GuestFactory(full_name="李娜")
    consent_record(actor=None, guest=guest, channel="sms", purpose="marketing",
                   granted=True, source="登记卡")  # fmt: skip
    client = Client()
    client.force_login(manager)

    # when she says on the phone she wants no more marketing texts
    before = client.get(f"/guests/{guest.pk}/").content.decode()
    posted = client.post(
        f"/care/guests/{guest.pk}/consents/",
        {"channel": "sms", "purpose": "marketing", "granted": "no",
         "source": "电话中本人告知"},
    )  # fmt: skip
    after = client.get(f"/guests/{guest.pk}/").content.decode()
    housekeeper = Client()
    housekeeper.force_login(make_staff("housekeeping"))
    refused = housekeeper.post(
        f"/care/guests/{guest.pk}/consents/",
        {"channel": "sms", "purpose": "marketing", "granted": "yes", "source": "x"},
    )

    # then the page shows the answer with its source, and the state is an opt-out
    assert "登记卡" in before
    assert "联系授权" in before
    assert posted.status_code == 302
    assert f"电话中本人告知 · {manager.username} 记录" in after
    assert "已退订" in after
    assert consent_state(guest, "sms", "marketing") is False
    assert refused.status_code == 403


def test_the_api_reads_and_records_consent(manager: User) -> None:
    from django.test import Client

    # given
    guest = GuestFactory(full_name="李娜")
    client = Client()
    client.force_login(manager)
    url = f"/api/v1/care/guests/{guest.pk}/consents"

    # when
    added = client.post(url, {"channel": "email", "purpose": "service",
                              "granted": True, "source": "入住时本人同意"},
                        content_type="application/json")  # fmt: skip
    bad = client.post(url, {"channel": "fax", "purpose": "service", "granted": True,
                            "source": "x"}, content_type="application/json")  # fmt: skip
    body = client.get(url).json()

    # then
    assert added.status_code == 201
    state = next(s for s in body["states"]
                 if (s["channel"], s["purpose"]) == ("email", "service"))  # fmt: skip
    assert (state["granted"], state["source"]) == (True, "入住时本人同意")
    assert [h["channel"] for h in body["history"]] == ["email"]
    assert (bad.status_code, bad.json()["field"]) == (422, "channel")
    assert client.get("/api/v1/care/guests/999999/consents").status_code == 404


def test_staff_give_the_time_the_guest_answered_never_a_future_one(
    manager: User,
) -> None:
    from datetime import datetime

    from django.test import Client

    from dossier.care.models import Consent

    # given
    guest = GuestFactory(full_name="李娜")
    client = Client()
    client.force_login(manager)
    later = timezone.localtime() + timedelta(days=1)

    # when she signed the card on the 1st of March, and someone types tomorrow
    client.post(f"/care/guests/{guest.pk}/consents/", {
        "channel": "sms", "purpose": "marketing", "granted": "yes",
        "source": "客人资料登记卡", "at": "2026-03-01T10:30"})  # fmt: skip
    refused = client.post(f"/care/guests/{guest.pk}/consents/", {
        "channel": "sms", "purpose": "marketing", "granted": "no", "source": "电话",
        "at": later.strftime("%Y-%m-%dT%H:%M")}, follow=True)  # fmt: skip
    api = client.post(f"/api/v1/care/guests/{guest.pk}/consents", {
        "channel": "email", "purpose": "marketing", "granted": True,
        "source": "前台告知", "at": "2026-03-02T09:00:00"},
        content_type="application/json")  # fmt: skip

    # then
    sms = Consent.objects.get(channel="sms")
    assert timezone.localtime(sms.at, guest.property.zone).replace(tzinfo=None) == (
        datetime(2026, 3, 1, 10, 30)
    )
    assert "客人答复的时间不能晚于现在" in refused.content.decode()
    assert api.status_code == 201
    email = Consent.objects.get(channel="email")
    assert timezone.localtime(email.at, guest.property.zone).replace(tzinfo=None) == (
        datetime(2026, 3, 2, 9, 0)
    )


@pytest.mark.parametrize(
    ("source", "chinese", "english"),
    [
        ("短信回复“TD”", "短信回复“TD”", "SMS reply “TD”"),
        ("短信网关：blacklisted", "短信网关：blacklisted", "SMS gateway: blacklisted"),
        (
            "合并 #12 入 #7：任一档案退订即保留退订",
            "合并 #12 入 #7：任一档案退订即保留退订",
            "Merged #12 into #7: an opt-out on either profile is kept",
        ),
        ("会员入会表", "会员入会表", "会员入会表"),
    ],
)
def test_a_source_the_product_wrote_reads_in_each_language(
    source: str, chinese: str, english: str
) -> None:
    from django.utils import translation

    from dossier.care.selectors import consent_source_shown

    with translation.override("zh-hans"):
        assert consent_source_shown(source) == chinese
    with translation.override("en"):
        assert consent_source_shown(source) == english


def test_an_sms_opt_out_reads_in_english_on_the_guest_page(manager: User) -> None:
    from dossier.messaging.services import reply_handle
    from tests.web.english import assert_english, english_client

    # given a guest who replied TD
    guest = GuestFactory(full_name="欧阳娜娜", gender="F", phones=["13800004444"])
    reply_handle(from_e164="+8613800004444", text="TD", provider_id="r1")

    # when the guest page is read in English
    page = assert_english(english_client(manager), f"/guests/{guest.pk}/",
                          ("欧阳娜娜", "欧阳女士", "欧"))  # fmt: skip

    # then the opt-out says where it came from in English
    assert "SMS reply “TD”" in page
