"""The care API and the ``dossier run-daily`` command."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from dossier.api.auth import token_create
from dossier.care.models import Campaign, DailyRun, ReminderRule, Task
from dossier.care.services import consent_record
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    _, key = token_create(user=user, name="测试")
    return Client(headers={"Authorization": f"Bearer {key}"})


def _post(client: Client, url: str, body: dict[str, object]):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_my_tasks_and_closing_one(prop, waiter):
    # given
    guest = GuestFactory(full_name="林晓")
    task = Task.objects.create(
        guest=guest,
        title="送花",
        due=date.today() - timedelta(days=1),
        department="fnb",
    )
    client = _client(waiter)

    # when
    listed = client.get("/api/v1/care/tasks").json()
    empty = _post(
        client, f"/api/v1/care/tasks/{task.pk}/close", {"status": "done", "outcome": ""}
    )
    closed = _post(
        client,
        f"/api/v1/care/tasks/{task.pk}/close",
        {"status": "done", "outcome": "已送达"},
    )
    twice = _post(
        client,
        f"/api/v1/care/tasks/{task.pk}/close",
        {"status": "done", "outcome": "再次"},
    )

    # then
    assert [(t["title"], t["overdue"]) for t in listed] == [("送花", True)]
    assert empty.status_code == 422
    assert empty.json() == {
        "code": "invalid_value",
        "message": "请填写结果",
        "field": "outcome",
    }
    assert closed.status_code == 200
    assert closed.json()["status"] == "done"
    assert twice.status_code == 409
    assert twice.json()["message"] == "该任务已处理过"


def test_rules_need_the_right_to_manage_care(prop, waiter, manager):
    assert _client(waiter).get("/api/v1/care/rules").status_code == 403
    rules = _client(manager).get("/api/v1/care/rules").json()
    assert sorted(r["name"] for r in rules) == sorted(
        ["生日祝福", "纪念日关怀", "离店回访", "节日贺卡", "新晋 A 类客人回访"]
    )


def test_a_rule_is_created_and_a_bad_one_refused(prop, manager):
    # given
    client = _client(manager)
    body = {
        "name": "VIP 结婚纪念日",
        "kind": "special_date",
        "date_kinds": "wedding",
        "days": 5,
        "classes": "A",
        "channel": "task",
        "owner_department": "marketing",
    }

    # when
    created = _post(client, "/api/v1/care/rules", body)
    bad = _post(client, "/api/v1/care/rules", {**body, "name": "x", "days": 400})

    # then
    assert created.status_code == 201
    assert ReminderRule.objects.get(name="VIP 结婚纪念日").date_kinds == "wedding"
    assert bad.status_code == 422
    assert bad.json() == {
        "code": "invalid_value",
        "message": "应在 0 到 90 之间，收到 400",
        "field": "days",
    }


def test_a_campaign_through_the_api(prop, manager):
    # given
    guest = GuestFactory(full_name="林晓", gender="F", phones=["13812345678"])
    consent_record(
        actor=None,
        guest=guest,
        channel="sms",
        purpose="marketing",
        granted=True,
        source="表",
    )
    client = _client(manager)

    # when
    created = _post(
        client,
        "/api/v1/care/campaigns",
        {"name": "新品上市", "body": "{称呼}，新菜上市"},
    )
    campaign_id = created.json()["id"]
    sent = _post(client, f"/api/v1/care/campaigns/{campaign_id}/send", {})
    again = _post(client, f"/api/v1/care/campaigns/{campaign_id}/send", {})

    # then
    assert created.status_code == 201
    assert created.json()["estimate"]["recipients"] == 1
    assert created.json()["estimate"]["cost"] == "0.05"
    assert sent.status_code == 200
    assert sent.json()["responses"]["sent"] == 1
    assert again.status_code == 409
    assert Campaign.objects.get().status == "sent"


def test_run_daily_command_reports_and_the_api_lists_the_run(prop, manager):
    # given
    GuestFactory(full_name="林晓", birth_date=date(1990, 3, 13))
    out = StringIO()

    # when
    call_command("run-daily", "--date", "2027-03-10", stdout=out)
    runs = _client(manager).get("/api/v1/care/runs").json()

    # then
    assert out.getvalue().splitlines()[0] == (
        f"{prop.code} 2027-03-10: 新建任务 1，发送 0，跳过 1，错过 0，失败 0"
    )
    assert runs[0]["today"] == "2027-03-10"
    assert {j["job"] for j in runs[0]["jobs"]} == {
        "care.special_dates",
        "care.feedback",
        "care.holidays",
        "care.campaigns",
        "records.loans_overdue",
        "records.loan_requests_expire",
        "personnel.receipts",
        "classes.recompute",
    }
    assert DailyRun.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2027-02-30"], "--date 应为 YYYY-MM-DD，收到 2027-02-30"),
        (["--window", "40"], "--window 应在 0 到 31 之间，收到 40"),
        (["--job", "nope"], "未知的作业：nope"),
        (["--property", "nope"], "没有代码为 nope 的门店"),
    ],
)
def test_run_daily_refuses_bad_options(prop, args, message):
    with pytest.raises(CommandError) as refused:
        call_command("run-daily", *args, stdout=StringIO())
    assert str(refused.value).startswith(message)
    assert not Task.objects.exists()


def test_the_api_starts_the_daily_run(prop, manager, waiter):
    assert _post(_client(waiter), "/api/v1/care/runs", {}).status_code == 403
    first = _post(_client(manager), "/api/v1/care/runs", {})
    assert first.status_code == 200
    assert first.json()["trigger"] == "api"
    assert first.json()["failed"] == 0
