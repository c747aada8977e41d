"""The review page and the API: a manager reviews and merges, a waiter may not."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dossier.duplicates.models import CandidateStatus, DuplicateCandidate, Merge
from tests.duplicates.conftest import Pair

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_queue_lists_open_candidates_best_first(pair: Pair, manager: User) -> None:
    # given
    candidate = DuplicateCandidate.objects.get()

    # when
    response = client_of(manager).get("/duplicates/")

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/duplicates/{candidate.pk}/"' in page
    assert "陳嘉欣" in page
    assert 'href="/duplicates/"' in page  # the link in the navigation


def test_the_comparison_shows_both_profiles_and_the_evidence(
    pair: Pair, manager: User
) -> None:
    # given
    candidate = DuplicateCandidate.objects.get()

    # when
    response = client_of(manager).get(f"/duplicates/{candidate.pk}/")

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "姓名（繁简统一后）与出生日期相同" in page
    assert "138****4444" in page
    assert "董事长" in page
    assert "总经理" in page
    assert 'class="marked"' in page
    assert "13800004444" not in page


def test_merge_from_the_page_then_undo(pair: Pair, manager: User) -> None:
    # given
    candidate = DuplicateCandidate.objects.get()
    client = client_of(manager)

    # when
    merged = client.post(
        f"/duplicates/{candidate.pk}/merge/", {"master": pair.master.pk}
    )

    # then
    assert merged.status_code == 302
    merge = Merge.objects.get()
    assert (merge.master_id, merge.duplicate_id) == (pair.master.pk, pair.duplicate.pk)
    page = client.get(f"/duplicates/{candidate.pk}/").content.decode()
    assert f'action="/duplicates/merges/{merge.pk}/undo/"' in page

    # when
    undone = client.post(f"/duplicates/merges/{merge.pk}/undo/")

    # then
    assert undone.status_code == 302
    merge.refresh_from_db()
    assert merge.undone_at is not None


def test_dismiss_from_the_page(pair: Pair, manager: User) -> None:
    # given
    candidate = DuplicateCandidate.objects.get()

    # when
    response = client_of(manager).post(f"/duplicates/{candidate.pk}/dismiss/")

    # then
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.reviewed_by) == (
        CandidateStatus.DISMISSED,
        manager,
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/duplicates/"),
        ("get", "/duplicates/{id}/"),
        ("post", "/duplicates/{id}/merge/"),
        ("post", "/duplicates/{id}/dismiss/"),
    ],
)
def test_a_waiter_is_refused(pair: Pair, waiter: User, method: str, path: str) -> None:
    # given
    candidate = DuplicateCandidate.objects.get()
    url = path.format(id=candidate.pk)

    # when
    response = getattr(client_of(waiter), method)(url, {"master": pair.master.pk})

    # then
    assert response.status_code == 403
    assert Merge.objects.count() == 0
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN
    assert 'href="/duplicates/"' not in client_of(waiter).get("/").content.decode()


def test_api_lists_merges_and_undoes(pair: Pair, manager: User) -> None:
    # given
    client = client_of(manager)
    candidate = DuplicateCandidate.objects.get()

    # when
    listed = client.get("/api/v1/duplicates").json()
    merged = client.post(
        f"/api/v1/duplicates/{candidate.pk}/merge",
        json.dumps({"master": pair.duplicate.pk}),
        content_type="application/json",
    )

    # then
    assert [(c["id"], c["score"]) for c in listed] == [(candidate.pk, candidate.score)]
    assert merged.status_code == 200
    body = merged.json()
    assert (body["master"], body["duplicate"], body["undone"]) == (
        pair.duplicate.pk,
        pair.master.pk,
        False,
    )
    assert body["moved"]["history.stay"] == 1

    # when
    undone = client.post(f"/api/v1/duplicates/merges/{body['id']}/undo")
    again = client.post(f"/api/v1/duplicates/merges/{body['id']}/undo")

    # then
    assert undone.json()["undone"] is True
    assert again.status_code == 422
    assert again.json()["message"] == "这次合并已经撤销过了"


def test_api_dismiss_and_refusals(pair: Pair, manager: User, waiter: User) -> None:
    # given
    candidate = DuplicateCandidate.objects.get()

    # when
    refused = client_of(waiter).post(f"/api/v1/duplicates/{candidate.pk}/dismiss")
    dismissed = client_of(manager).post(f"/api/v1/duplicates/{candidate.pk}/dismiss")
    missing = client_of(manager).post("/api/v1/duplicates/999999/dismiss")

    # then
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert dismissed.json()["status"] == "dismissed"
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_the_queue_exports_its_pairs(pair: Pair, manager: User, waiter: User) -> None:
    # given
    candidate = DuplicateCandidate.objects.get()

    # when
    response = client_of(manager).get("/duplicates/?export=csv")
    refused = client_of(waiter).get("/duplicates/?export=csv")

    # then
    lines = response.content.decode("utf-8-sig").splitlines()
    assert response.content.startswith("\ufeff".encode())
    assert lines[0] == "相似度,档案一,姓名一,档案二,姓名二,依据"
    assert lines[1].startswith(f"{candidate.score},{candidate.guest_a_id},")
    assert len(lines) == 2
    assert refused.status_code == 403
