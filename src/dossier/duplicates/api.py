"""Duplicate endpoints: the review queue, merge, undo, dismiss."""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema

from dossier.api.types import PageLimit, PageOffset
from dossier.duplicates.merge import guest_merge, guest_merge_undo
from dossier.duplicates.models import DuplicateCandidate, Merge
from dossier.duplicates.selectors import candidate_for, candidates_open
from dossier.duplicates.services import candidate_dismiss
from dossier.guests.errors import GuestError, GuestErrorCode
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

router = Router(tags=["duplicates"])
PERMISSION = "duplicates.merge_guest"


class CandidateOut(Schema):
    id: int
    guest_a: int
    guest_b: int
    name_a: str
    name_b: str
    score: int
    status: str
    evidence: dict[str, Any]
    created_at: datetime


class MergeIn(Schema):
    master: int
    # Needed when the two profiles share a document but not their name or birthday.
    confirm: bool = False


class MergeOut(Schema):
    id: int
    master: int
    duplicate: int
    moved: dict[str, int]
    fields: list[str]
    undone: bool


def _allowed(request: HttpRequest) -> int:
    if not request.user.has_perm(PERMISSION):
        raise PermissionError
    return viewer_property(request.user).pk


def _candidate(request: HttpRequest, candidate_id: int) -> DuplicateCandidate:
    candidate = candidate_for(candidate_id, _allowed(request))
    if candidate is None:
        raise Http404
    return candidate


def _candidate_out(candidate: DuplicateCandidate) -> dict[str, Any]:
    return {
        "id": candidate.pk,
        "guest_a": candidate.guest_a_id,
        "guest_b": candidate.guest_b_id,
        "name_a": candidate.guest_a.full_name,
        "name_b": candidate.guest_b.full_name,
        "score": candidate.score,
        "status": candidate.status,
        "evidence": candidate.evidence,
        "created_at": candidate.created_at,
    }


def _merge_out(merge: Merge) -> dict[str, Any]:
    return {
        "id": merge.pk,
        "master": merge.master_id,
        "duplicate": merge.duplicate_id,
        "moved": {label: len(ids) for label, ids in merge.snapshot["moved"].items()},
        "fields": sorted(merge.snapshot["fields"]),
        "undone": merge.undone_at is not None,
    }


@router.get("", response=list[CandidateOut], summary="Open candidates, best first")
def candidates(
    request: HttpRequest, limit: PageLimit = 50, offset: PageOffset = 0
) -> list[dict[str, Any]]:
    queue = candidates_open(_allowed(request))
    page = queue[offset : offset + limit]
    return [_candidate_out(c) for c in page]


@router.post("/{candidate_id}/merge", response=MergeOut, summary="Merge the pair")
def merge(request: HttpRequest, candidate_id: int, payload: MergeIn) -> dict[str, Any]:
    candidate = _candidate(request, candidate_id)
    pair = {
        candidate.guest_a_id: candidate.guest_a,
        candidate.guest_b_id: candidate.guest_b,
    }
    if payload.master not in pair:
        raise GuestError(
            GuestErrorCode.INVALID_VALUE,
            gettext("主档案须是这两份档案之一"),
            field="master",
        )
    master = pair.pop(payload.master)
    duplicate = next(iter(pair.values()))
    done = guest_merge(
        actor=request_actor(request),
        master=master,
        duplicate=duplicate,
        confirmed=payload.confirm,
    )
    return _merge_out(done)


@router.post("/{candidate_id}/dismiss", response=CandidateOut, summary="Not one guest")
def dismiss(request: HttpRequest, candidate_id: int) -> dict[str, Any]:
    candidate = _candidate(request, candidate_id)
    candidate_dismiss(actor=request_actor(request), candidate=candidate)
    candidate.refresh_from_db()
    return _candidate_out(candidate)


@router.post("/merges/{merge_id}/undo", response=MergeOut, summary="Undo a merge")
def undo(request: HttpRequest, merge_id: int) -> dict[str, Any]:
    found = Merge.objects.filter(pk=merge_id, property_id=_allowed(request)).first()
    if found is None:
        raise Http404
    return _merge_out(guest_merge_undo(actor=request_actor(request), merge=found))
