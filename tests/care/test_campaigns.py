"""Campaigns: the segment, consent, opt-outs that win, sending once, responses."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dossier.care.campaigns import (
    CampaignInput,
    audience,
    campaign_estimate,
    campaign_responses,
    campaign_save,
    campaign_send,
)
from dossier.care.daily import run_daily
from dossier.care.errors import CareError
from dossier.care.models import Campaign, Recipient
from dossier.care.services import consent_record
from dossier.classes.models import GuestClass
from dossier.guests.models import Tag
from dossier.messaging.models import Message
from dossier.messaging.services import message_status_record, reply_handle
from tests.factories import GuestFactory, add_stay

pytestmark = pytest.mark.django_db


def _agreed(name: str, phone: str, *, granted: bool = True, **fields):
    guest = GuestFactory(full_name=name, phones=[phone], **fields)
    consent_record(
        actor=None,
        guest=guest,
        channel="sms",
        purpose="marketing",
        granted=granted,
        source="会员入会表",
    )
    return guest


def _campaign(prop, **values) -> Campaign:
    data = {"name": "冬季火锅节", "channel": "sms", "body": "{称呼}，冬季火锅节八折！"}
    data.update(values)
    return campaign_save(actor=None, prop=prop, data=CampaignInput(**data))


def test_only_guests_with_marketing_consent_get_it_and_an_opt_out_wins(prop):
    # given
    yes = _agreed("林晓", "13812345671", gender="F")
    _agreed("周强", "13812345672", granted=False)
    GuestFactory(full_name="吴敏", phones=["13812345673"])
    shared = _agreed("郑丽", "13812345674")
    other_profile = _agreed("郑丽丽", "13812345674")
    consent_record(
        actor=None,
        guest=other_profile,
        channel="sms",
        purpose="marketing",
        granted=False,
        source="短信回复“TD”",
    )
    campaign = _campaign(prop)

    # when
    found = audience(campaign)

    # then
    assert [(g.full_name, a) for g, a in found.to] == [("林晓", "+8613812345671")]
    assert sorted((g.full_name, r) for g, r in found.refused) == [
        ("吴敏", "客人未同意接收营销信息"),
        ("周强", "客人已退订"),
        ("郑丽", "同一号码或地址已退订"),
        ("郑丽丽", "客人已退订"),
    ]
    assert shared.pk != yes.pk


def test_the_segment_selects_by_class_tag_and_last_visit(prop):
    # given
    a_guest = _agreed("林晓", "13812345671")
    GuestClass.objects.create(guest=a_guest, klass="A")
    type(a_guest).objects.filter(pk=a_guest.pk).update(guest_class="A")
    tag = Tag.objects.create(property=prop, name="火锅爱好者")
    a_guest.tags.add(tag)
    add_stay(a_guest, days_ago=20)
    stale = _agreed("周强", "13812345672")
    GuestClass.objects.create(guest=stale, klass="A")
    type(stale).objects.filter(pk=stale.pk).update(guest_class="A")
    stale.tags.add(tag)
    add_stay(stale, days_ago=400)
    b_guest = _agreed("吴敏", "13812345673")
    GuestClass.objects.create(guest=b_guest, klass="B")
    type(b_guest).objects.filter(pk=b_guest.pk).update(guest_class="B")
    b_guest.tags.add(tag)
    add_stay(b_guest, days_ago=20)
    today = timezone.localdate()

    # when
    campaign = _campaign(
        prop,
        classes="A",
        tags="火锅爱好者",
        visited_after=today - timedelta(days=90),
    )

    # then
    assert [g.full_name for g, _ in audience(campaign).to] == ["林晓"]


def test_the_estimate_counts_parts_and_cost_per_guest(prop):
    # given: 71 UTF-16 units make two parts, at 5 fen each
    _agreed("林晓", "13812345671", gender="F")
    _agreed("周强", "13812345672", gender="M")
    campaign = _campaign(prop, body="{称呼}，" + "冬" * 67)

    # when
    estimate = campaign_estimate(campaign)

    # then
    assert estimate.recipients == 2
    assert estimate.parts == 4
    assert estimate.cost == Decimal("0.20")
    assert estimate.sample == "林女士，" + "冬" * 67
    assert (estimate.sample_units, estimate.sample_parts) == (71, 2)


def test_a_campaign_is_sent_once_and_its_responses_are_counted(
    prop, django_capture_on_commit_callbacks
):
    # given
    replied = _agreed("林晓", "13812345671", gender="F")
    opted_out = _agreed("周强", "13812345672")
    visited = _agreed("吴敏", "13812345673")
    campaign = _campaign(prop)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        outcome = campaign_send(actor=None, campaign=campaign)
    with pytest.raises(CareError) as again:
        campaign_send(actor=None, campaign=campaign)
    reply_handle(from_e164="+8613812345671", text="请帮我订两位")
    reply_handle(from_e164="+8613812345672", text="TD")
    add_stay(visited, days_ago=0)
    message = Message.objects.get(guest=replied)
    message_status_record(provider_id=message.provider_id, status="delivered")

    # then
    assert outcome.sent == 3
    assert again.value.message == "活动已发送或已取消"
    assert Message.objects.filter(purpose="marketing").count() == 3
    assert Recipient.objects.filter(campaign=campaign).count() == 3
    responses = campaign_responses(campaign)
    assert (responses.sent, responses.replies, responses.opt_outs) == (3, 1, 1)
    assert responses.visits == 1
    assert responses.cost == Decimal("0.15")
    assert opted_out.pk in Recipient.objects.values_list("guest_id", flat=True)


def test_a_scheduled_campaign_goes_out_with_the_daily_run(prop):
    # given
    _agreed("林晓", "13812345671")
    today = prop.today()
    campaign = _campaign(prop, send_on=today + timedelta(days=1))

    # when
    run_daily(today=today)
    before = Campaign.objects.get(pk=campaign.pk).status
    run_daily(today=today + timedelta(days=1))

    # then
    campaign.refresh_from_db()
    assert (before, campaign.status) == ("scheduled", "sent")
    assert Message.objects.filter(purpose="marketing").count() == 1


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"body": "{称呼}{优惠券}"},
            "body",
            "模板中有未知的占位符 {优惠券}，可用：{称呼}、{姓名}、{门店}",
        ),
        ({"classes": "AD"}, "classes", "分级只能是 A、B、C，收到 D"),
        ({"channel": "fax"}, "channel", "未知的渠道：fax"),
        ({"channel": "email"}, "subject", "请填写邮件主题"),
        ({"send_on": date(2020, 1, 1)}, "send_on", "2020-01-01 已经过去"),
    ],
)
def test_bad_campaigns_are_refused_with_what_and_where(prop, values, field, message):
    with pytest.raises(CareError) as refused:
        _campaign(prop, **values)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("channel", ["sms", "email"])
def test_the_estimate_decides_as_the_audience_does_in_a_fixed_number_of_queries(
    prop, channel, django_assert_max_num_queries
):
    # given every reason a guest is left out, on both channels
    def agreed(name, phone, email, *, granted=True):
        guest = GuestFactory(full_name=name, phones=[phone], email=email)
        consent_record(actor=None, guest=guest, channel=channel, purpose="marketing",
                       granted=granted, source="会员入会表")  # fmt: skip
        return guest

    agreed("林晓", "13812345671", "lin@example.com")
    agreed("周强", "13812345672", "zhou@example.com", granted=False)
    GuestFactory(full_name="吴敏", phones=["13812345673"], email="wu@example.com")
    GuestFactory(full_name="冯雪")
    agreed("郑丽", "13812345674", "zheng@example.com")
    agreed("郑丽丽", "13812345674", "zheng@example.com", granted=False)
    agreed("王芳", "13812345675", "wang@example.com")
    agreed("王芳芳", "13812345675", "wang@example.com")
    campaign = _campaign(prop, channel=channel, subject="冬季", body="{姓名}，八折！")
    expected = audience(campaign)

    # when
    with django_assert_max_num_queries(4):
        estimate = campaign_estimate(campaign)

    # then
    assert estimate.recipients == len(expected.to) == 2
    assert estimate.refused == len(expected.refused) == 6
    no_address = "没有手机号码" if channel == "sms" else "没有电子邮件地址"
    assert estimate.reasons == {
        "客人已退订": 2, "客人未同意接收营销信息": 1, no_address: 1,
        "同一号码或地址已退订": 1, "与其他客人共用号码或地址，只发一次": 1,
    }  # fmt: skip
    assert estimate.sample == "林晓，八折！"
    if channel == "sms":
        assert (estimate.parts, estimate.cost) == (2, Decimal("0.10"))
