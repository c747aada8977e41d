"""The upkeep endpoints: the same services as the pages, JSON errors naming the field."""

import json
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dossier.core.models import AuditEvent, Property
from dossier.records.models import (
    Case,
    CaseStatus,
    DestructionRegister,
    Hold,
    RegisterStatus,
    RetentionItem,
    SchemeVersion,
)
from dossier.records.retention import preset_items, schedule_from_preset
from tests.records.conftest import FileCase

pytestmark = pytest.mark.django_db
API = "/api/v1/records"


def _post(user: User, path: str, body: dict[str, Any] | None = None) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(
        f"{API}{path}", json.dumps(body or {}), content_type="application/json"
    )


def test_trash_and_restore_keep_the_number(
    archivist: User, waiter: User, file_case: FileCase
) -> None:
    case = file_case().case

    trashed = _post(archivist, f"/cases/{case.pk}/trash", {"reason": "重复归档"})
    restored = _post(archivist, f"/cases/{case.pk}/restore")

    assert trashed.json() == {
        "id": case.pk,
        "archive_number": "01-02031-01",
        "status": "trashed",
    }
    assert restored.json()["status"] == "filed"
    assert restored.json()["archive_number"] == "01-02031-01"
    assert _post(waiter, f"/cases/{case.pk}/trash", {"reason": "x"}).status_code == 403


def test_a_text_longer_than_its_column_is_refused_not_cut(
    archivist: User, file_case: FileCase
) -> None:
    case = file_case().case

    trashed = _post(archivist, f"/cases/{case.pk}/trash", {"reason": "重" * 301})
    held = _post(
        archivist,
        f"/cases/{case.pk}/holds",
        {"authority": "区人民法院" * 41, "reason": "诉讼"},
    )

    assert trashed.status_code == 422
    assert held.status_code == 422
    assert "authority" in json.dumps(held.json(), ensure_ascii=False)
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED
    assert not Hold.objects.filter(case=case).exists()


def test_restoring_a_case_not_in_the_trash_is_a_json_error(
    archivist: User, file_case: FileCase
) -> None:
    case = file_case().case

    response = _post(archivist, f"/cases/{case.pk}/restore")

    assert response.status_code == 422
    assert response.json()["message"] == "该案件不在回收站"


def test_a_hold_is_placed_and_released(
    manager: User, archivist: User, file_case: FileCase
) -> None:
    case = file_case().case

    placed = _post(
        manager, f"/cases/{case.pk}/holds", {"authority": "区法院", "reason": "诉讼"}
    )
    refused = _post(manager, f"/holds/{placed.json()['id']}/release", {"reason": " "})
    released = _post(
        manager, f"/holds/{placed.json()['id']}/release", {"reason": "结案"}
    )

    assert placed.status_code == 201
    assert refused.status_code == 422
    assert refused.json()["field"] == "reason"
    assert released.json()["release_reason"] == "结案"
    assert Hold.objects.get().released_by == manager
    assert AuditEvent.objects.filter(action="records.hold_released").count() == 1


def test_the_disposal_flow_with_a_part_kept(
    archivist: User, manager: User, prop: Property, file_case: FileCase
) -> None:
    # given a case past retention
    case = file_case(doc_date=date(2010, 2, 1), retention_years=1).case

    # when a register is drawn up, a part is kept, it is approved and carried out
    register = _post(archivist, "/registers", {"as_of": "2025-01-01"}).json()
    entry = register["entries"][0]
    part = _post(
        archivist,
        f"/registers/{register['id']}/entries/{entry['id']}/part",
        {"destroyed_part": "草稿", "kept_note": "正本"},
    )
    approved = _post(manager, f"/registers/{register['id']}/approve")
    confirm = {"confirmation": str(register["id"]), "witnesses": "王监、李审"}
    unconfirmed = _post(archivist, f"/registers/{register['id']}/execute")
    executed = _post(archivist, f"/registers/{register['id']}/execute", confirm)
    again = _post(archivist, f"/registers/{register['id']}/execute", confirm)

    # then the case is destroyed in part and the second run says it was done
    assert part.json()["entries"][0]["kept_note"] == "正本"
    assert approved.json()["status"] == RegisterStatus.APPROVED
    assert unconfirmed.status_code == 422
    assert executed.json()["destroyed"] == 1
    assert Case.objects.get(pk=case.pk).status == CaseStatus.PARTLY_DESTROYED
    assert again.status_code == 422
    assert again.json()["message"].endswith("执行销毁，不能重复执行")


def test_an_empty_register_is_refused(archivist: User, file_case: FileCase) -> None:
    file_case()

    response = _post(archivist, "/registers", {"as_of": "2026-01-01"})

    assert response.status_code == 422
    assert response.json()["reason"] == "nothing_due"
    assert not DestructionRegister.objects.exists()


def test_a_period_below_the_minimum_comes_back_with_its_warning(
    archivist: User, prop: Property
) -> None:
    name, items = preset_items("accounting")
    schedule = schedule_from_preset(
        prop=prop, name=name, preset="accounting", items=items
    )
    voucher = schedule.items.get(record_type="原始凭证")

    response = _post(archivist, f"/retention/items/{voucher.pk}", {"years": 15})

    assert response.json() == {
        "id": voucher.pk,
        "record_type": "原始凭证",
        "years": 15,
        "warning": "“原始凭证”定为15年，低于法定最低30年",
    }
    assert RetentionItem.objects.get(pk=voucher.pk).years == 15


def test_a_revision_returns_the_old_to_new_table(
    archivist: User, scheme: SchemeVersion
) -> None:
    response = _post(
        archivist,
        "/scheme/revisions",
        {
            "name": "第二版",
            "changes": [{"kind": "retire", "full_code": "01-0204", "note": "不再签"}],
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 2
    assert {
        "old_code": "01-0204",
        "new_code": "01-0204",
        "kind": "retired",
        "note": "不再签",
    } in body["mappings"]


def test_a_revision_of_an_unknown_code_changes_nothing(
    archivist: User, scheme: SchemeVersion
) -> None:
    response = _post(
        archivist,
        "/scheme/revisions",
        {
            "name": "第二版",
            "changes": [{"kind": "rename", "full_code": "09-99", "name": "x"}],
        },
    )

    assert response.status_code == 422
    assert response.json()["message"] == "旧版本中没有这些代码：09-99"
    assert SchemeVersion.objects.count() == 1
