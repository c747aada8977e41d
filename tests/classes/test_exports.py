"""Exports of the class changes and the pinned classes."""

import pytest

from dossier.classes.services import class_pin, classes_recompute
from dossier.core.audit import AuditEvent
from tests.classes.test_pages import client_for, csv_rows

pytestmark = pytest.mark.django_db


def test_class_changes_export_as_recorded_and_audited(prop, guests, manager, waiter):
    # given a recomputation and a pin
    classes_recompute(property=prop)
    class_pin(actor=manager, guest=guests["small"], klass="A", reason="=贵宾")
    client = client_for(manager)

    # when
    heading, *rows = csv_rows(client.get("/classes/export/changes/?format=csv"))
    xlsx = client.get("/classes/export/changes/?format=xlsx")
    refused = client_for(waiter).get("/classes/export/changes/?format=csv")
    bad = client.get("/classes/export/changes/?format=csv&since=2026-13-01")

    # then every change is a row, the newest first, the reason kept as text
    assert heading[:6] == ["生效日期", "档案号", "客人", "原类别", "新类别", "方式"]
    assert rows[0][2:7] == ["赵少少", "C", "A", "人工指定", "'=贵宾"]
    assert sorted((r[2], r[4]) for r in rows[1:]) == [
        ("李大方", "A"), ("王常来", "B"), ("钱公干", "B"),
    ]  # fmt: skip
    assert xlsx.status_code == 200
    assert (refused.status_code, bad.status_code) == (403, 400)
    assert AuditEvent.objects.filter(object_type="classes.changes").count() == 2


def test_pinned_classes_export(prop, guests, manager):
    # given
    class_pin(actor=manager, guest=guests["small"], klass="A", reason="贵宾")

    # when
    heading, *rows = csv_rows(
        client_for(manager).get("/classes/export/pinned/?format=csv")
    )

    # then
    assert heading == ["档案号", "客人", "类别", "原因", "指定人"]
    assert rows == [[str(guests["small"].pk), "赵少少", "A", "贵宾", manager.username]]
    assert (
        client_for(manager).get("/classes/export/other/?format=csv").status_code == 404
    )


def test_policy_command_shows_sets_and_restores_the_thresholds(prop, guests):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from dossier.classes.models import ClassPolicy

    # given the default policy; when B is raised to ¥20,000 and the classes recomputed
    out = StringIO()
    call_command("classes-policy", "--b-min-spend", "20000", stdout=out)
    call_command("classes-recompute", stdout=out)
    raised = out.getvalue()
    call_command("classes-policy", "--defaults", "--company-is-b", "no", stdout=out)

    # then the regular guest (¥10,000) falls to C; --defaults brings back ¥10,000
    assert "B 类 ≥ ¥20000.00" in raised
    assert "4 位客人，A 类 1，B 类 1，C 类 2" in raised
    policy = ClassPolicy.objects.get(property=prop)
    assert (policy.b_min_spend, policy.company_is_b) == (10000, False)
    assert AuditEvent.objects.filter(action="classes.policy_changed").count() == 2
    with pytest.raises(CommandError, match="A 类年消费下限应高于 B 类下限"):
        call_command("classes-policy", "--a-min-spend", "5", "--b-min-spend", "10")


def test_the_api_lists_class_changes_newest_first(prop, guests, manager, waiter):
    # given
    classes_recompute(property=prop)
    class_pin(actor=manager, guest=guests["small"], klass="A", reason="贵宾")

    # when
    body = client_for(manager).get("/api/v1/classes/changes").json()
    refused = client_for(waiter).get("/api/v1/classes/changes")

    # then
    assert (body[0]["name"], body[0]["to_class"], body[0]["kind"]) == (
        "赵少少", "A", "pinned",
    )  # fmt: skip
    assert len(body) == 4
    assert refused.status_code == 403


def test_the_class_list_export_reads_a_chunk_of_guests_in_three_queries(
    prop, manager, django_assert_max_num_queries
):
    from dossier.classes.exports import class_list_table
    from tests.factories import GuestFactory

    # given 30 guests with a phone each, two of them on one number
    for n in range(30):
        GuestFactory(full_name=f"王{n:02}", phones=[f"1380013{n:04}"])
    GuestFactory(
        full_name="欧阳娜娜", gender="F", phones=["+85261234567", "13800130001"]
    )
    table = class_list_table(manager, prop, "")

    # when
    with django_assert_max_num_queries(4):
        rows = list(table.rows)

    # then the guests, their honorific, a masked phone each
    assert len(rows) == 31
    ouyang = next(r for r in rows if r[1] == "欧阳娜娜")
    assert (ouyang[3], ouyang[6]) == ("欧阳女士", "+852****4567")
    assert next(r for r in rows if r[1] == "王07")[6] == "138****0007"
