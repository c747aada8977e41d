"""The pages of care: my tasks with htmx, rules, run reports, campaigns."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from dossier.care.daily import run_daily
from dossier.care.models import Campaign, ReminderRule, Task
from dossier.core.audit import AuditEvent
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _task(guest, *, days: int, department: str = "fnb", owner=None, title="送花"):
    return Task.objects.create(
        guest=guest,
        title=title,
        due=date.today() + timedelta(days=days),
        department=department,
        owner=owner,
        kind="special_date",
    )


def test_my_tasks_lists_overdue_first_and_only_mine(prop, waiter, make_staff):
    # given
    guest = GuestFactory(full_name="林晓")
    later = _task(guest, days=3, title="生日送蛋糕")
    overdue = _task(guest, days=-2, title="回访电话")
    _task(guest, days=1, department="housekeeping", title="别人的任务")

    # when
    page = _client(waiter).get(reverse("care:tasks"))

    # then
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("回访电话") < text.index("生日送蛋糕")
    assert "别人的任务" not in text
    assert f'id="task-{overdue.pk}"' in text
    assert f'id="task-{later.pk}"' in text
    assert "已逾期" in text


def test_a_task_is_marked_done_with_its_outcome_through_htmx(prop, waiter):
    # given
    task = _task(GuestFactory(full_name="林晓"), days=0)

    # when
    response = _client(waiter).post(
        reverse("care:task_close", args=[task.pk]),
        {"status": "done", "outcome": "已送花，客人很满意"},
        HTTP_HX_REQUEST="true",
    )

    # then
    task.refresh_from_db()
    assert response.status_code == 200
    assert "已送花，客人很满意" in response.content.decode()
    assert (task.status, task.outcome, task.closed_by) == (
        "done",
        "已送花，客人很满意",
        waiter,
    )
    assert AuditEvent.objects.filter(action="care.task_closed").count() == 1


def test_an_empty_outcome_is_refused_and_the_task_stays_open(prop, waiter):
    # given
    task = _task(GuestFactory(full_name="林晓"), days=0)

    # when
    response = _client(waiter).post(
        reverse("care:task_close", args=[task.pk]),
        {"status": "done", "outcome": "  "},
        HTTP_HX_REQUEST="true",
    )

    # then
    task.refresh_from_db()
    assert "请填写结果" in response.content.decode()
    assert task.status == "open"


def test_someone_elses_task_cannot_be_closed(prop, waiter, make_staff):
    # given
    task = _task(GuestFactory(full_name="林晓"), days=0, department="housekeeping")

    # when
    response = _client(waiter).post(
        reverse("care:task_close", args=[task.pk]),
        {"status": "done", "outcome": "完成"},
    )

    # then
    task.refresh_from_db()
    assert response.status_code == 404
    assert task.status == "open"


def test_rules_are_seeded_and_edited_with_clear_errors(prop, manager):
    # given
    client = _client(manager)
    page = client.get(reverse("care:rules"))
    rule = ReminderRule.objects.get(property=prop, name="生日祝福")

    # when
    bad = client.post(
        reverse("care:rule_edit", args=[rule.pk]),
        {
            "name": "生日祝福",
            "kind": "special_date",
            "days": "2",
            "classes": ["A", "B"],
            "date_kinds": ["birthday"],
            "channel": "sms",
            "template": "{称呼}生日快乐{优惠}",
            "owner_department": "marketing",
            "active": "on",
        },
    )
    good = client.post(
        reverse("care:rule_edit", args=[rule.pk]),
        {
            "name": "生日祝福",
            "kind": "special_date",
            "days": "2",
            "classes": ["A", "B"],
            "date_kinds": ["birthday"],
            "channel": "sms",
            "template": "{称呼}，生日快乐！{礼品}",
            "gift_text": "凭短信领取长寿面",
            "owner_department": "marketing",
            "active": "on",
        },
    )

    # then
    assert page.status_code == 200
    assert ReminderRule.objects.filter(property=prop).count() == 5
    assert "模板中有未知的占位符 {优惠}" in bad.content.decode()
    assert good.status_code == 302
    rule.refresh_from_db()
    assert (rule.days, rule.classes, rule.gift_text) == (2, "AB", "凭短信领取长寿面")


def test_rules_and_reports_are_for_managers_only(prop, waiter):
    client = _client(waiter)
    assert client.get(reverse("care:rules")).status_code == 403
    assert client.get(reverse("care:runs")).status_code == 403
    assert client.get(reverse("care:campaigns")).status_code == 403


def test_the_run_report_shows_days_and_skips(prop, manager):
    # given
    GuestFactory(full_name="林晓", birth_date=date(1990, 3, 10))
    run_daily(today=date(2027, 3, 7))

    # when
    page = _client(manager).get(reverse("care:runs"))

    # then
    text = page.content.decode()
    assert "2027-03-07" in text
    assert "没有 2027 年的放假安排，无法判断节日" in text
    assert "care.special_dates" in text


def test_a_campaign_is_previewed_with_cost_and_sent_once(prop, manager):
    # given
    from dossier.care.services import consent_record

    guest = GuestFactory(full_name="林晓", gender="F", phones=["13812345678"])
    consent_record(
        actor=None,
        guest=guest,
        channel="sms",
        purpose="marketing",
        granted=True,
        source="会员入会表",
    )
    GuestFactory(full_name="周强", phones=["13812345679"])
    client = _client(manager)

    # when
    created = client.post(
        reverse("care:campaign_new"),
        {"name": "冬季火锅节", "channel": "sms", "body": "{称呼}，冬季火锅节八折！"},
    )
    campaign = Campaign.objects.get()
    preview = client.get(reverse("care:campaign_detail", args=[campaign.pk]))
    sent = client.post(reverse("care:campaign_action", args=[campaign.pk, "send"]))
    again = client.post(reverse("care:campaign_action", args=[campaign.pk, "send"]))
    report = client.get(reverse("care:campaign_detail", args=[campaign.pk]))

    # then
    assert created.status_code == 302
    text = preview.content.decode()
    assert "林女士，冬季火锅节八折！" in text
    assert "将发送给 1 位客人，共 1 条，预计费用 ¥0.05" in text
    assert "1 位不发送：客人未同意接收营销信息" in text
    assert sent.status_code == again.status_code == 302
    assert campaign.recipients.exclude(message=None).count() == 1
    assert "已发送" in report.content.decode()


def test_the_tasks_page_works_without_staff_profile_for_a_superuser(
    prop, django_user_model
):
    admin = django_user_model.objects.create_superuser("root", password="pw-Dossier-1")
    assert _client(admin).get(reverse("care:tasks")).status_code == 200


def test_the_campaign_form_previews_parts_and_cost_as_one_types(prop, manager):
    # given
    client = _client(manager)
    form = client.get(reverse("care:campaign_new")).content.decode()

    # when
    fragment = client.get(
        reverse("messaging:preview"), {"body": "冬" * 71}, HTTP_HX_REQUEST="true"
    )

    # then
    assert 'hx-get="/messaging/preview/"' in form
    assert 'id="sms-preview"' in form
    assert "71 字（按 UTF-16 计），分 2 条发送，费用 ¥0.10" in fragment.content.decode()


def test_a_manager_may_see_every_task_of_the_property(prop, manager, waiter):
    # given
    _task(
        GuestFactory(full_name="林晓"),
        days=1,
        department="housekeeping",
        title="换荞麦枕",
    )

    # when
    mine = _client(manager).get(reverse("care:tasks")).content.decode()
    everyone = (
        _client(manager).get(reverse("care:tasks"), {"who": "all"}).content.decode()
    )
    waiter_asks = (
        _client(waiter).get(reverse("care:tasks"), {"who": "all"}).content.decode()
    )

    # then
    assert "换荞麦枕" not in mine
    assert "换荞麦枕" in everyone
    assert "换荞麦枕" not in waiter_asks


def test_a_manager_runs_the_day_now_and_again_without_repeats(prop, manager):
    # given: a birthday three days from now, as the default rule looks ahead
    ahead = prop.today() + timedelta(days=3)
    born = date(
        1992 if (ahead.month, ahead.day) == (2, 29) else 1990, ahead.month, ahead.day
    )
    GuestFactory(full_name="林晓", birth_date=born)
    client = _client(manager)

    # when
    first = client.post(reverse("care:runs"), follow=True).content.decode()
    second = client.post(reverse("care:runs"), follow=True).content.decode()

    # then
    assert "已运行：新建任务 1，" in first
    assert "已运行：新建任务 0，发送 0，跳过 0，错过 0，失败 0" in second
    assert Task.objects.count() == 1


def test_my_tasks_export_as_the_page_lists_them_and_are_audited(prop, waiter):
    import csv
    import io

    from openpyxl import load_workbook

    # given an overdue task whose title looks like a formula
    guest = GuestFactory(full_name="林晓")
    _task(guest, days=-2, title="=HYPERLINK(1)")
    _task(guest, days=1, department="housekeeping", title="别人的任务")
    client = _client(waiter)

    # when both formats are downloaded
    raw = client.get(reverse("care:tasks"), {"export": "csv"}).content
    book = client.get(reverse("care:tasks"), {"export": "xlsx"}).content

    # then the csv opens in Excel on Chinese Windows and holds only what the page shows
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["状态", "截止日期", "类型", "事项"]
    assert [r[3] for r in rows[1:]] == ["'=HYPERLINK(1)"]
    sheet = load_workbook(io.BytesIO(book)).active
    assert sheet.cell(row=2, column=4).value == "=HYPERLINK(1)"
    assert sheet.cell(row=2, column=4).data_type == "s"
    assert AuditEvent.objects.filter(object_type="care.tasks").count() == 2


def test_the_task_list_counts_every_task_and_pages_them_keeping_the_filter(
    prop, manager
):
    # given 3 overdue and 250 open birthday tasks, more than one page
    guest = GuestFactory(full_name="林晓")
    Task.objects.bulk_create(
        Task(guest=guest, title=f"生日 {n:03}", kind="special_date",
             due=date.today() + timedelta(days=-1 if n < 3 else 1 + n % 5),
             department="housekeeping")
        for n in range(253)
    )  # fmt: skip
    client = _client(manager)
    wanted = {"who": "all", "kind": "special_date"}

    # when
    first = client.get(reverse("care:tasks"), wanted).content.decode()
    last = client.get(reverse("care:tasks"), {**wanted, "page": 6}).content.decode()

    # then the headings give the true counts, a page holds 50, the links keep the filter
    assert "已逾期（3）" in first
    assert "待办（250）" in first
    assert first.count('class="task"') == 50
    assert "第 1 / 6 页" in first
    assert 'href="?who=all&amp;kind=special_date&amp;page=2" rel="next"' in first
    assert last.count('class="task"') == 3
    assert "本页没有逾期任务" in last


def test_the_task_export_has_every_task_not_only_the_page(prop, manager):
    import csv
    import io

    # given
    guest = GuestFactory(full_name="林晓")
    Task.objects.bulk_create(
        Task(guest=guest, title=f"生日 {n:03}", kind="special_date",
             due=date.today() + timedelta(days=1), department="housekeeping")
        for n in range(316)
    )  # fmt: skip

    # when
    raw = (
        _client(manager)
        .get(reverse("care:tasks"), {"who": "all", "export": "csv"})
        .content
    )

    # then
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 317
    assert {r[0] for r in rows[1:]} == {"待办"}
    assert AuditEvent.objects.get(object_type="care.tasks").detail["rows"] == 316


def test_the_campaign_list_pages_and_the_export_has_every_campaign(prop, manager):
    # given
    Campaign.objects.bulk_create(
        Campaign(property=prop, name=f"活动{n:02}", channel="sms", body="您好")
        for n in range(60)
    )
    client = _client(manager)

    # when
    first = client.get(reverse("care:campaigns")).content.decode()
    second = client.get(reverse("care:campaigns"), {"page": 2}).content.decode()
    client.get(reverse("care:campaigns"), {"export": "csv"})

    # then
    assert "共 60 个活动" in first
    assert len(re.findall(r'href="/care/campaigns/\d+/"', first)) == 50
    assert "第 2 / 2 页" in second
    assert AuditEvent.objects.get(object_type="care.campaigns").detail["rows"] == 60


def test_the_campaign_form_picks_dates_and_keeps_the_sms_preview_after_an_error(
    prop, manager
):
    # given a campaign to edit, and a post whose dates are the wrong way round
    campaign = Campaign.objects.create(property=prop, name="冬季火锅节", channel="sms",
                                       body="您好", send_on=date(2031, 5, 18))  # fmt: skip
    client = _client(manager)

    # when
    edit = client.get(reverse("care:campaign_edit", args=[campaign.pk]))
    refused = client.post(reverse("care:campaign_new"), {
        "name": "春季", "channel": "sms", "body": "冬" * 71,
        "visited_after": "2026-05-02", "visited_before": "2026-05-01",
    })  # fmt: skip

    # then the dates are the browser's date picker with ISO values
    text = edit.content.decode()
    assert 'type="date" name="send_on" value="2031-05-18"' in text
    assert 'type="date" name="visited_after"' in text
    page = refused.content.decode()
    assert "最近到访的起始日期晚于截止日期" in page
    assert "71 字（按 UTF-16 计），分 2 条发送，费用 ¥0.10" in page


def test_sending_is_disabled_with_the_reason_when_nobody_would_get_it(prop, manager):
    # given a campaign whose one guest never agreed to marketing
    GuestFactory(full_name="林晓", phones=["13812345671"])
    campaign = Campaign.objects.create(
        property=prop, name="冬季火锅节", channel="sms", body="您好"
    )

    # when
    page = _client(manager).get(reverse("care:campaign_detail", args=[campaign.pk]))

    # then
    text = page.content.decode()
    assert "将发送给 0 位客人" in text
    assert 'disabled aria-describedby="no-recipients">立即发送</button>' in text
    assert "没有可发送的客人：请先记录客人的营销授权，或调整目标客人" in text
