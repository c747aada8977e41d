"""Campaign timing: the public holidays ahead and what the send date is."""

from datetime import date

import pytest
from django.test import Client

from dossier.care.campaigns import CampaignInput, campaign_save
from dossier.care.timing import HolidayRun, campaign_timing

pytestmark = pytest.mark.django_db


def test_the_holidays_ahead_and_the_send_day():
    # when a campaign for 2026-09-27 is planned on 1 September 2026
    timing = campaign_timing(today=date(2026, 9, 1), send_on=date(2026, 9, 27))

    # then the Mid-Autumn and National Day runs are listed with their days off
    assert timing.holidays[:2] == [
        HolidayRun("中秋节", date(2026, 9, 25), 3),
        HolidayRun("国庆节", date(2026, 10, 1), 7),
    ]
    assert timing.send_note == "2026-09-27 是中秋节假期中的一天"
    assert timing.missing == ""


@pytest.mark.parametrize(
    ("day", "note"),
    [
        (date(2026, 9, 20), "2026-09-20 是调休上班日"),
        (date(2026, 9, 19), "2026-09-19 是周末"),
        (date(2026, 9, 21), "2026-09-21 是工作日"),
    ],
)
def test_what_the_send_day_is(day, note):
    assert campaign_timing(today=date(2026, 9, 1), send_on=day).send_note == note


def test_a_year_without_a_notice_is_said_not_guessed():
    timing = campaign_timing(today=date(2026, 12, 4), send_on=date(2027, 1, 1))

    assert timing.send_note == "2027 年的放假安排尚未公布"
    assert timing.missing == "2027 年的放假安排尚未公布"


def test_the_campaign_page_and_api_show_the_timing(prop, manager):
    campaign = campaign_save(actor=None, prop=prop, data=CampaignInput(
        name="国庆问候", channel="sms", body="{称呼}，国庆快乐"))  # fmt: skip
    client = Client()
    client.force_login(manager)

    page = client.get(f"/care/campaigns/{campaign.pk}/").content.decode()
    body = client.get(f"/api/v1/care/campaigns/{campaign.pk}").json()

    assert "发送时机" in page
    assert set(body["timing"]) == {"holidays", "send_note", "missing"}
