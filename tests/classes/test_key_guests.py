"""The monthly key-guest list and the meeting whose decisions go to the profiles."""

from datetime import timedelta

import pytest
from django.test import Client

from dossier.care.models import Task
from dossier.classes.errors import ClassError
from dossier.classes.keyguests import (
    DecisionInput,
    key_guest_list,
    meeting_file,
    month_parse,
)
from dossier.classes.services import classes_recompute
from dossier.core.models import AuditEvent
from dossier.guests.models import Observation, SpecialDate
from tests.factories import GuestFactory


@pytest.fixture
def month(prop):
    return prop.today().replace(day=1)


@pytest.fixture
def key(prop, spend, month):
    """Two guests who became A at the end of last month; one not seen for 200 days;
    a B guest with a birthday on the 15th of this month."""
    recent = GuestFactory(full_name="周新贵")
    away = GuestFactory(full_name="吴久违")
    regular = GuestFactory(full_name="郑生日")
    spend(recent, "60000.00", days_ago=40)
    spend(away, "60000.00", days_ago=200)
    spend(regular, "12000.00", days_ago=40)
    SpecialDate.objects.create(guest=regular, kind="birthday", month=month.month,
                               day=15)  # fmt: skip
    classes_recompute(property=prop, on=month - timedelta(days=1))
    return {"recent": recent, "away": away, "regular": regular}


def names(items):
    return [k.guest.full_name for k in items]


def test_the_list_of_the_month(prop, key, month):
    lists = key_guest_list(prop, month)

    assert names(lists["new_a"]) == ["吴久违", "周新贵"]
    assert names(lists["not_seen"]) == ["吴久违"]
    assert [(k.guest.full_name, k.when.day) for k in lists["dates"]] == [("郑生日", 15)]


def test_a_bad_month_is_refused(prop):
    with pytest.raises(ClassError, match="月份“2026-13”应为 YYYY-MM 格式"):
        month_parse("2026-13", today=prop.today())


def test_meeting_files_each_decision_to_the_guest(prop, key, month, manager):
    due = prop.today() + timedelta(days=7)

    meeting = meeting_file(
        actor=manager, property=prop, month=month, held_on=prop.today(),
        attendees="营销部、餐饮部", minutes="讨论本月重点客户",
        decisions=[DecisionInput(key["away"].pk, "总经理致电问候", due),
                   DecisionInput(key["regular"].pk, "生日送长寿面")],
    )  # fmt: skip

    observation = Observation.objects.get(guest=key["away"])
    assert (observation.text, observation.department, observation.kind) == (
        "总经理致电问候",
        "marketing",
        "note",
    )
    assert observation.touchpoint == f"重点客户例会 {month:%Y-%m}"
    task = Task.objects.get()
    assert (task.guest, task.due, task.title) == (key["away"], due, "总经理致电问候")
    assert meeting.decisions.count() == 2
    assert AuditEvent.objects.get(action="classes.meeting_filed").detail == {
        "month": f"{month:%Y-%m}", "decisions": 2,
    }  # fmt: skip


def test_meeting_without_minutes_files_nothing(prop, key, month, manager):
    with pytest.raises(ClassError, match="请填写会议纪要"):
        meeting_file(actor=manager, property=prop, month=month, held_on=month,
                     attendees="", minutes="  ",
                     decisions=[DecisionInput(key["away"].pk, "致电")])  # fmt: skip

    assert not Observation.objects.exists()


def test_page_lists_files_and_exports(prop, key, month, manager):
    client = Client()
    client.force_login(manager)
    url = f"/classes/key-guests/?month={month:%Y-%m}"

    page = client.get(url)
    posted = client.post(url, {"minutes": "纪要", "held_on": prop.today().isoformat(),
                               f"decision_{key['recent'].pk}": "安排行政酒廊体验"})  # fmt: skip
    exported = client.get(url + "&export=csv")

    assert page.status_code == 200
    assert "吴久违" in page.content.decode()
    assert posted.status_code == 302
    assert Observation.objects.get().text == "安排行政酒廊体验"
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "名单,档案号,姓名,类别,原因,日期,最近到店"
    assert len(lines) == 5


def test_the_api_gives_the_list_and_files_a_meeting(prop, key, month, manager):
    # given
    client = Client()
    client.force_login(manager)

    # when the list is read and a meeting filed with one decision
    listed = client.get(f"/api/v1/classes/key-guests?month={month:%Y-%m}")
    filed = client.post(
        "/api/v1/classes/key-guests/meetings",
        {"month": f"{month:%Y-%m}", "held_on": month.isoformat(),
         "minutes": "新晋 A 类客户本月回访", "decisions": [
             {"guest_id": key["recent"].pk, "text": "总经理致电问候",
              "task_due": (month + timedelta(days=7)).isoformat()}]},
        content_type="application/json",
    )  # fmt: skip
    refused = client.post(
        "/api/v1/classes/key-guests/meetings",
        {"month": f"{month:%Y-%m}", "held_on": month.isoformat(), "minutes": " "},
        content_type="application/json",
    )
    bad = client.get("/api/v1/classes/key-guests?month=2026-13")

    # then
    body = listed.json()
    assert [(g["list"], g["name"]) for g in body["guests"]] == [
        ("new_a", "吴久违"), ("new_a", "周新贵"), ("not_seen", "吴久违"),
        ("dates", "郑生日"),
    ]  # fmt: skip
    assert filed.status_code == 201
    assert filed.json()["decisions"] == 1
    assert Task.objects.filter(guest=key["recent"]).count() == 1
    assert (refused.status_code, refused.json()["field"]) == (422, "minutes")
    assert bad.status_code == 422


def test_the_command_prints_the_list(prop, key, month):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("key-guests", "--month", f"{month:%Y-%m}", stdout=out)

    text = out.getvalue()
    assert "新晋 A 类客户：2 位" in text
    assert "久未到店的 A 类客户：1 位" in text
    assert f"#{key['regular'].pk} 郑生日（B）" in text
    with pytest.raises(CommandError, match="2026-13"):
        call_command("key-guests", "--month", "2026-13")


@pytest.mark.parametrize("days", ["0", "-5", "3651", "99999999999999999999"])
def test_a_number_of_days_out_of_range_is_refused_on_the_page_and_the_command(
    prop, manager, days
):
    # given a manager asking for A clients not seen for a number of days out of
    # 1 to 3650
    client = Client()
    client.force_login(manager)

    # when the page and the command are asked
    page = client.get(f"/classes/key-guests/?days={days}")

    # then both refuse it, naming the range
    assert page.status_code == 400
    assert "未到店天数应在 1 至 3650 天之间" in page.content.decode()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1 至 3650"):
        call_command("key-guests", "--days", days)
