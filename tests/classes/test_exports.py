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
    assert client_for(manager).get("/classes/export/other/?format=csv").status_code == 404
