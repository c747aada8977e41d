"""Merging keeps every value of both profiles, sends nothing, and can be undone."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from dossier.care.models import Consent
from dossier.care.services import consent_record, consent_state
from dossier.core.models import AuditEvent
from dossier.duplicates.merge import (
    MergeError,
    MergeErrorCode,
    dump,
    guest_merge,
    guest_merge_undo,
)
from dossier.duplicates.models import CandidateStatus, DuplicateCandidate, Merge
from dossier.duplicates.moving import relations
from dossier.duplicates.selectors import candidates_open
from dossier.guests.models import Guest, ProfileChange
from dossier.history.models import Stay
from dossier.search.models import SearchKey
from tests.duplicates.conftest import Pair

pytestmark = pytest.mark.django_db


def _counts(guest: Guest) -> dict[str, int]:
    return {
        r.label: r.model._base_manager.filter(**{r.column: guest.pk}).count()
        for r in relations()
    }


def _snapshot(guest: Guest) -> dict[str, Any]:
    """Every field and every row of a guest, but the merge's own change-log rows."""
    guest = Guest.objects.get(pk=guest.pk)
    fields = {
        f.name: dump(guest, f.name)
        for f in Guest._meta.concrete_fields
        if f.name != "updated_at"
    }
    rows = {}
    for r in relations():
        found = r.model._base_manager.filter(**{r.column: guest.pk})
        if r.model is ProfileChange:
            found = found.exclude(source__in=["merge", "merge_undo"])
        rows[r.label] = sorted(found.values(), key=lambda row: row["id"])
    keys = sorted(SearchKey.objects.filter(guest=guest).values_list("key", flat=True))
    return {"fields": fields, "rows": rows, "keys": keys}


def test_merge_moves_every_row_and_keeps_what_the_master_already_has(
    pair: Pair, manager: User
) -> None:
    # given
    master_before, duplicate_before = _counts(pair.master), _counts(pair.duplicate)

    # when
    guest_merge(actor=manager, master=pair.master, duplicate=pair.duplicate)

    # then
    master_after, duplicate_after = _counts(pair.master), _counts(pair.duplicate)
    kept_on_duplicate = {
        "guests.guestphone": 1,  # 138 0000 4444, which the master has
        "guests.identitydocument": 1,  # the same resident ID
        "guests.guestpreference": 1,  # pillow 高; the master's 低 stays, 高 noted
        "guests.guest_tags": 1,  # VIP
        "guests.profilechange": 1,  # "merged into", written after the move
    }
    added_on_master = {"guests.profilechange": 1 + 4}  # "merged" + 4 fields
    for label in master_before:
        total = master_before[label] + duplicate_before[label]
        kept = kept_on_duplicate.get(label, 0)
        assert duplicate_after[label] == kept, label
        if label == "guests.profilechange":
            kept -= 1
        assert master_after[label] == total - kept + added_on_master.get(label, 0), (
            label
        )
    assert (master_after["history.stay"], master_after["history.bill"]) == (3, 1)
    assert master_after["history.spendline"] == 4


def test_merge_fills_empty_fields_and_notes_what_differs(
    pair: Pair, manager: User
) -> None:
    # when
    merge = guest_merge(actor=manager, master=pair.master, duplicate=pair.duplicate)

    # then
    master = Guest.objects.get(pk=pair.master.pk)
    assert (master.full_name, master.title) == ("陈嘉欣", "总经理")
    assert (master.email, master.vip_level, master.family) == (
        "chen@example.com",
        "金卡",
        "已婚，一子",
    )
    source = f"—— 合并自 #{pair.duplicate.pk} 陳嘉欣 ——"
    assert master.notes == (
        f"喜欢安静\n{source}\n常住 0812\n姓名：陳嘉欣\n职务：董事长\n偏好·枕头高度：高"
    )
    assert sorted(merge.snapshot["fields"]) == ["email", "family", "notes", "vip_level"]
    assert merge.snapshot["fields"]["email"] == ["", "chen@example.com"]


def test_merge_is_audited_and_closes_the_candidate(pair: Pair, manager: User) -> None:
    # given
    candidate = DuplicateCandidate.objects.get()

    # when
    merge = guest_merge(actor=manager, master=pair.master, duplicate=pair.duplicate)

    # then
    event = AuditEvent.objects.get(action="guest.merged")
    assert (event.actor, event.object_type, event.object_id) == (
        manager,
        "duplicates.merge",
        str(merge.pk),
    )
    assert (event.detail["master"], event.detail["duplicate"]) == (
        pair.master.pk,
        pair.duplicate.pk,
    )
    assert event.detail["moved"]["history.stay"] == 2
    candidate.refresh_from_db()
    assert (candidate.status, candidate.reviewed_by) == (
        CandidateStatus.MERGED,
        manager,
    )
    assert merge.candidate == candidate
    assert list(candidates_open(pair.master.property_id)) == []


def test_merge_sends_no_message(
    pair: Pair, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        guest_merge(actor=manager, master=pair.master, duplicate=pair.duplicate)

    # then
    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("master_granted", "duplicate_granted", "newer", "added"),
    [
        (False, True, "duplicate", 1),  # master opted out, duplicate's opt-in newer
        (True, False, "master", 1),  # duplicate opted out, master's opt-in newer
        (False, True, "master", 0),  # the opt-out is the latest already
        (True, False, "duplicate", 0),
    ],
)
def test_an_explicit_opt_out_always_wins(
    pair: Pair,
    manager: User,
    master_granted: bool,
    duplicate_granted: bool,
    newer: str,
    added: int,
) -> None:
    # given
    now = timezone.now()
    old, new = now - timedelta(days=30), now - timedelta(days=1)
    for guest, granted, is_newer in (
        (pair.master, master_granted, newer == "master"),
        (pair.duplicate, duplicate_granted, newer == "duplicate"),
    ):
        consent_record(
            actor=manager,
            guest=guest,
            channel="sms",
            purpose="marketing",
            granted=granted,
            source="登记卡",
            at=new if is_newer else old,
        )
    consent_record(
        actor=manager,
        guest=pair.duplicate,
        channel="email",
        purpose="service",
        granted=True,
        source="登记卡",
    )

    # when
    merge = guest_merge(actor=manager, master=pair.master, duplicate=pair.duplicate)

    # then
    assert consent_state(pair.master, "sms", "marketing") is False
    assert consent_state(pair.master, "email", "service") is True
    assert consent_state(pair.master, "wechat", "marketing") is None
    assert Consent.objects.filter(guest=pair.master).count() == 3 + added
    assert len(merge.snapshot["consents_added"]) == added


def test_undo_restores_both_profiles_exactly(pair: Pair, manager: User) -> None:
    # given
    consent_record(
        actor=manager,
        guest=pair.duplicate,
        channel="sms",
        purpose="marketing",
        granted=False,
        source="回复 TD",
    )
    before = (_snapshot(pair.master), _snapshot(pair.duplicate))
    merge = guest_merge(actor=manager, master=pair.master, duplicate=pair.duplicate)

    # when
    guest_merge_undo(actor=manager, merge=merge)

    # then
    after = (_snapshot(pair.master), _snapshot(pair.duplicate))
    assert after == before
    merge.refresh_from_db()
    assert (merge.undone_by, merge.undone_at is not None) == (manager, True)
    assert DuplicateCandidate.objects.get().status == CandidateStatus.OPEN
    assert AuditEvent.objects.filter(action="guest.merge_undone").count() == 1


def test_undo_twice_is_refused(pair: Pair, manager: User) -> None:
    # given
    merge = guest_merge(actor=manager, master=pair.master, duplicate=pair.duplicate)
    guest_merge_undo(actor=manager, merge=merge)

    # when
    with pytest.raises(MergeError) as refused:
        guest_merge_undo(actor=manager, merge=merge)

    # then
    assert refused.value.reason == MergeErrorCode.ALREADY_UNDONE


def test_undo_refused_when_a_moved_row_is_gone(pair: Pair, manager: User) -> None:
    # given
    merge = guest_merge(actor=manager, master=pair.master, duplicate=pair.duplicate)
    Stay.objects.filter(pk=merge.snapshot["moved"]["history.stay"][0]).delete()
    master_before = _snapshot(pair.master)

    # when
    with pytest.raises(MergeError) as refused:
        guest_merge_undo(actor=manager, merge=merge)

    # then
    assert refused.value.reason == MergeErrorCode.CHANGED_SINCE
    assert (
        refused.value.message
        == "合并移入的 1 条住店记录已被删除或转给其他档案，无法撤销"
    )
    assert _snapshot(pair.master) == master_before
    assert Merge.objects.get().undone_at is None


def test_undo_refused_when_a_filled_field_was_edited(pair: Pair, manager: User) -> None:
    # given
    merge = guest_merge(actor=manager, master=pair.master, duplicate=pair.duplicate)
    Guest.objects.filter(pk=pair.master.pk).update(email="new@example.com")

    # when
    with pytest.raises(MergeError) as refused:
        guest_merge_undo(actor=manager, merge=merge)

    # then
    assert refused.value.message == (
        "合并后主档案的“电子邮件”又被修改过，无法自动撤销；请先改回或手工处理"
    )


def test_merging_twice_is_refused(pair: Pair, manager: User) -> None:
    # given
    guest_merge(actor=manager, master=pair.master, duplicate=pair.duplicate)
    rows = _snapshot(pair.master)

    # when
    with pytest.raises(MergeError) as refused:
        guest_merge(actor=manager, master=pair.master, duplicate=pair.duplicate)

    # then
    assert refused.value.reason == MergeErrorCode.ALREADY_MERGED
    assert refused.value.message == (
        f"档案 #{pair.duplicate.pk} 已合并入 #{pair.master.pk}，请先撤销那次合并"
    )
    assert _snapshot(pair.master) == rows
    assert Merge.objects.count() == 1


def test_merging_a_guest_with_itself_is_refused(pair: Pair, manager: User) -> None:
    # given
    rows = _snapshot(pair.master)

    # when
    with pytest.raises(MergeError) as refused:
        guest_merge(actor=manager, master=pair.master, duplicate=pair.master)

    # then
    assert refused.value.reason == MergeErrorCode.SAME_GUEST
    assert _snapshot(pair.master) == rows
    assert Merge.objects.count() == 0
    assert AuditEvent.objects.filter(action="guest.merged").count() == 0


def test_a_merged_profile_is_neither_listed_nor_found(prop, manager):
    from dossier.duplicates.merge import guest_merge
    from dossier.guests.selectors import guests_visible
    from dossier.search.selectors import guest_lookup
    from tests.factories import GuestFactory

    # given two profiles of one guest, one merged into the other
    master = GuestFactory(full_name="陈嘉欣", phones=["13800001234"])
    duplicate = GuestFactory(full_name="陳嘉欣", phones=["13900005678"])
    guest_merge(actor=manager, master=master, duplicate=duplicate)

    # then only the master is listed, and the duplicate's phone finds the master
    assert list(guests_visible(manager).values_list("pk", flat=True)) == [master.pk]
    hits = guest_lookup(property_id=prop.pk, query="13900005678")
    assert [h.guest_id for h in hits] == [master.pk]


def test_the_merged_profiles_old_links_and_pushes_reach_the_master(prop, manager):
    import json

    from django.test import Client

    from dossier.api.auth import token_create
    from dossier.duplicates.merge import guest_merge
    from dossier.history.models import Stay
    from tests.factories import GuestFactory

    # given a profile merged into another
    master = GuestFactory(full_name="陈嘉欣", phones=["13800001234"])
    duplicate = GuestFactory(full_name="陳嘉欣", phones=["13900005678"])
    guest_merge(actor=manager, master=master, duplicate=duplicate)
    client = Client()
    client.force_login(manager)
    _, key = token_create(user=manager, name="PMS")

    # when staff open the old link and the PMS pushes a stay with the old id
    page = client.get(f"/guests/{duplicate.pk}/")
    pushed = Client(headers={"Authorization": f"Bearer {key}"}).post(
        "/api/v1/stays",
        json.dumps(
            {
                "guest_id": duplicate.pk,
                "external_ref": "PMS-9",
                "arrival": "2026-11-01",
                "departure": "2026-11-02",
            }
        ),
        content_type="application/json",
    )

    # then both reach the master
    assert (page.status_code, page.url) == (302, f"/guests/{master.pk}/")
    assert pushed.status_code == 201
    assert Stay.objects.get().guest_id == master.pk
