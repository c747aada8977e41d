"""Two profiles holding one document number but not one name or birthday: the scan
queues them as a conflict, never as certain, and no door merges them unconfirmed."""

import json
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from dossier.duplicates.merge import MergeError, MergeErrorCode, guest_merge
from dossier.duplicates.models import CandidateStatus, DuplicateCandidate, Merge
from dossier.guests.models import Guest
from dossier.guests.services import GuestInput, IdentityInput, guest_create

pytestmark = pytest.mark.django_db

PASSPORT = "874575929"


def _passport_holder(prop, name: str, birth: date, email: str) -> Guest:
    return guest_create(
        actor=None,
        property=prop,
        data=GuestInput(
            fields={"full_name": name, "birth_date": birth, "email": email},
            documents=[IdentityInput(PASSPORT, "passport", "IRL")],
        ),
    )


@pytest.fixture
def conflict(prop) -> DuplicateCandidate:
    """Aoife Kelly and Orla O'Brien, given one passport number, found by the scan."""
    _passport_holder(prop, "Aoife Kelly", date(1967, 9, 27), "aoife@example.org")
    _passport_holder(prop, "Orla O'Brien", date(1980, 7, 4), "orla@example.org")
    DuplicateCandidate.objects.all().delete()
    call_command("duplicates-scan", verbosity=0)
    return DuplicateCandidate.objects.get()


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_scan_queues_the_pair_as_a_conflict(conflict: DuplicateCandidate) -> None:
    assert (conflict.score, conflict.evidence["level"]) == (50, "conflict")
    assert [r["rule"] for r in conflict.evidence["rules"]] == ["same_id_conflict"]
    assert conflict.evidence["rules"][0]["a"] == "Aoife Kelly · 1967-09-27 · 87*****29"


def test_the_queue_marks_a_conflict_not_certain(
    conflict: DuplicateCandidate, manager: User
) -> None:
    page = client_of(manager).get("/duplicates/").content.decode()

    assert '<span class="badge badge-warning">冲突</span>' in page
    assert "确定</span>" not in page


def test_the_page_asks_to_confirm_and_merges_only_then(
    conflict: DuplicateCandidate, manager: User
) -> None:
    # given
    client = client_of(manager)
    url = f"/duplicates/{conflict.pk}/"

    # when the reviewer opens the pair, then the page names the disagreement
    page = client.get(url).content.decode()
    assert "两份档案证件号码相同，但姓名、出生日期不符" in page
    assert 'name="confirm" value="yes" required' in page

    # when merged without confirming, then nothing is merged
    refused = client.post(url + "merge/", {"master": conflict.guest_a_id}, follow=True)
    assert "请核对证件原件，确认是同一人后再合并" in refused.content.decode()
    assert Merge.objects.count() == 0
    conflict.refresh_from_db()
    assert conflict.status == CandidateStatus.OPEN

    # when confirmed, then merged
    client.post(url + "merge/", {"master": conflict.guest_a_id, "confirm": "yes"})
    merge = Merge.objects.get()
    assert (merge.master_id, merge.duplicate_id) == (
        conflict.guest_a_id,
        conflict.guest_b_id,
    )


def test_the_api_merges_a_conflict_only_when_confirmed(
    conflict: DuplicateCandidate, manager: User
) -> None:
    # given
    client = client_of(manager)
    url = f"/api/v1/duplicates/{conflict.pk}/merge"

    # when
    refused = client.post(
        url, json.dumps({"master": conflict.guest_a_id}), "application/json"
    )
    merged = client.post(
        url,
        json.dumps({"master": conflict.guest_a_id, "confirm": True}),
        "application/json",
    )

    # then
    assert refused.status_code == 422
    assert refused.json()["field"] == "confirm"
    assert merged.status_code == 200
    assert merged.json()["duplicate"] == conflict.guest_b_id


def test_the_service_refuses_an_unconfirmed_conflict(
    conflict: DuplicateCandidate,
) -> None:
    with pytest.raises(MergeError) as refused:
        guest_merge(actor=None, master=conflict.guest_a, duplicate=conflict.guest_b)

    assert refused.value.reason == MergeErrorCode.CONFLICT
    assert Merge.objects.count() == 0


def test_profiles_that_agree_merge_without_confirming(prop) -> None:
    # given one passport under one name, the birthday known on one profile only
    first = _passport_holder(prop, "Aoife Kelly", date(1967, 9, 27), "")
    second = guest_create(
        actor=None,
        property=prop,
        data=GuestInput(
            fields={"full_name": "KELLY Aoife"},
            documents=[IdentityInput(PASSPORT, "passport", "IRL")],
        ),
    )

    # when
    merge = guest_merge(actor=None, master=first, duplicate=second)

    # then
    assert (merge.master_id, merge.duplicate_id) == (first.pk, second.pk)
    assert DuplicateCandidate.objects.get().evidence["level"] == "certain"
