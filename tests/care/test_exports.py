"""Exports of care's lists: campaigns, a campaign's delivery log, run reports."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from dossier.care.campaigns import CampaignInput, campaign_save, campaign_send
from dossier.care.daily import run_daily
from dossier.care.services import consent_record
from dossier.core.audit import AuditEvent
from tests.factories import GuestFactory
from tests.web.english import assert_english, english_client

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rows(response) -> list[list[str]]:
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _sent_campaign(prop, django_capture_on_commit_callbacks):
    guest = GuestFactory(full_name="=林晓", phones=["13812345671"])
    consent_record(actor=None, guest=guest, channel="sms", purpose="marketing",
                   granted=True, source="会员入会表")  # fmt: skip
    GuestFactory(full_name="周强", phones=["13812345672"])
    campaign = campaign_save(actor=None, prop=prop, data=CampaignInput(
        name="冬季火锅节", channel="sms", body="{称呼}，冬季火锅节八折！"))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        campaign_send(actor=None, campaign=campaign)
    return campaign


def test_the_delivery_log_exports_every_recipient_and_is_audited(
    prop, manager, django_capture_on_commit_callbacks
):
    # given a sent campaign: one guest agreed, one did not
    campaign = _sent_campaign(prop, django_capture_on_commit_callbacks)
    client = _client(manager)
    url = reverse("care:campaign_detail", args=[campaign.pk])

    # when the log is downloaded in both formats
    rows = _rows(client.get(url, {"export": "csv"}))
    book = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content))

    # then the sent message and the skipped guest are there, the name kept as text
    # and the phone masked as on every other page
    assert rows[0][:4] == ["档案号", "客人", "收件人", "状态"]
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["'=林晓"][2] == "138****5671"
    assert by_name["'=林晓"][5] == "0.05"
    assert by_name["周强"][2] == ""
    assert by_name["周强"][9] != ""
    sheet = book.active
    names = {sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)}
    assert names == {"=林晓", "周强"}
    sent = {sheet.cell(row=r, column=3).value for r in range(2, sheet.max_row + 1)}
    assert sent == {"138****5671", None}
    assert AuditEvent.objects.filter(object_type="care.campaign_log").count() == 2
    assert "export=xlsx" in client.get(url).content.decode()


def test_the_delivery_log_page_masks_the_phones(
    prop, manager, django_capture_on_commit_callbacks
):
    # given a sent campaign
    campaign = _sent_campaign(prop, django_capture_on_commit_callbacks)

    # when its page is shown
    url = reverse("care:campaign_detail", args=[campaign.pk])
    page = _client(manager).get(url).content.decode()

    # then the recipient's phone shows its first three and last four digits only
    assert "138****5671" in page
    assert "13812345671" not in page


def test_the_campaign_list_exports_with_responses(
    prop, manager, django_capture_on_commit_callbacks
):
    # given a sent campaign and a draft
    _sent_campaign(prop, django_capture_on_commit_callbacks)
    campaign_save(actor=None, prop=prop, data=CampaignInput(
        name="春节问候", channel="sms", body="{称呼}，新春快乐"))  # fmt: skip

    # when
    rows = _rows(_client(manager).get(reverse("care:campaigns"), {"export": "csv"}))

    # then the draft has no figures, the sent campaign its sent count and cost
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"冬季火锅节", "春节问候"}
    assert by_name["冬季火锅节"][6] == "1"
    assert Decimal(by_name["冬季火锅节"][13]) == Decimal("0.05")
    assert by_name["春节问候"][6] == ""


def test_the_run_reports_export_one_row_per_job(prop, manager, waiter):
    # given a daily run
    run_daily(today=prop.today())
    client = _client(manager)

    # when
    rows = _rows(client.get(reverse("care:runs"), {"export": "csv"}))
    refused = _client(waiter).get(reverse("care:runs"), {"export": "csv"})

    # then every job of the run is a row, and staff without the right get nothing
    assert rows[0][:4] == ["当日", "开始时间", "触发方式", "作业"]
    assert len(rows) > 1
    assert {r[0] for r in rows[1:]} == {prop.today().isoformat()}
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(object_type="care.runs").count() == 1


def test_the_api_gives_the_delivery_log(
    prop, manager, waiter, django_capture_on_commit_callbacks
):
    # given
    campaign = _sent_campaign(prop, django_capture_on_commit_callbacks)
    url = f"/api/v1/care/campaigns/{campaign.pk}/deliveries"

    # when
    body = _client(manager).get(url).json()
    refused = _client(waiter).get(url)

    # then one row per recipient, money exact
    by_name = {row["name"]: row for row in body}
    assert by_name["=林晓"]["to"] == "138****5671"
    assert by_name["=林晓"]["status"] == "sent"
    assert Decimal(by_name["=林晓"]["cost"]) == Decimal("0.05")
    assert by_name["周强"]["status"] == "skipped"
    assert by_name["周强"]["skipped"]
    assert refused.status_code == 403


def test_the_delivery_log_reads_in_english(
    prop, manager, django_capture_on_commit_callbacks
):
    # given a sent campaign: one guest agreed, one did not
    campaign = _sent_campaign(prop, django_capture_on_commit_callbacks)
    client = english_client(manager)
    url = reverse("care:campaign_detail", args=[campaign.pk])

    # when the log is read and downloaded by a user who chose English
    data = ("=林晓", "周强", "冬季火锅节", "{称呼}，冬季火锅节八折！", "林晓")
    page = assert_english(client, url, data)
    rows = _rows(client.get(url, {"export": "csv"}))

    # then the phone is masked and why the other guest got nothing is in English
    assert "138****5671" in page
    assert "Guest has not agreed to marketing messages" in page
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["周强"][9] == "Guest has not agreed to marketing messages"
