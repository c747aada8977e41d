"""API of filing in batches, refiling a returned case and the original coming back.

Mounted on the records router; the same permission and services as the pages.
"""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from dossier.records.api import (
    CaseIn,
    CaseOut,
    ErrorOut,
    FilingOut,
    IntakeIn,
    Unknown,
    _case_out,
    _error,
    _require,
    case_draft,
    filing_out,
)
from dossier.records.errors import RecordsError
from dossier.records.models import Case
from dossier.records.selectors import case_for
from dossier.records.services import (
    CaseDraft,
    IntakeInput,
    case_refile,
    cases_file_batch,
    original_return,
)
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

router = Router(tags=["records"])

FILE = "records.file_case"
# One batch is one delivery of papers from a department, not a migration.
BATCH_MAX = 200


def _case(request: HttpRequest, case_id: int) -> Case:
    case = case_for(viewer_property(request.user), case_id, viewer=request.user)
    if case is None:
        raise Http404
    return case


class BatchIn(Schema):
    cases: list[CaseIn]


class RefusedOut(Schema):
    position: int
    message: str


class BatchOut(Schema):
    filed: list[FilingOut]
    returned: list[FilingOut]
    refused: list[RefusedOut]


@router.post(
    "/batches",
    response={200: BatchOut, 422: ErrorOut},
    summary="File several cases; a refused one is reported and the others filed",
)
def cases_batch_api(request: HttpRequest, payload: BatchIn) -> Any:
    _require(request, FILE)
    if not 1 <= len(payload.cases) <= BATCH_MAX:
        body = {
            "code": "invalid",
            "message": _("一批 1 至 %(max)s 件") % {"max": BATCH_MAX},
            "reason": "invalid_value",
            "field": "cases",
        }
        return Status(422, body)
    items: list[tuple[CaseDraft, IntakeInput]] = []
    refused: list[tuple[int, str]] = []
    positions: list[int] = []
    for position, case_in in enumerate(payload.cases, start=1):
        try:
            items.append((case_draft(request, case_in), case_in.intake()))
        except Unknown as unknown:
            refused.append((position, str(unknown)))
            continue
        positions.append(position)
    result = cases_file_batch(actor=request_actor(request), items=items)
    refused += [(positions[index - 1], message) for index, message in result.refused]
    return {
        "filed": [filing_out(filing) for filing in result.filed],
        "returned": [filing_out(filing) for filing in result.returned],
        "refused": [
            {"position": position, "message": message}
            for position, message in sorted(refused)
        ],
    }


@router.post(
    "/cases/{case_id}/refile",
    response={200: FilingOut, 201: FilingOut, 422: ErrorOut},
    summary="Check a returned case in again once its department has put it right",
)
def case_refile_api(request: HttpRequest, case_id: int, payload: IntakeIn) -> Any:
    _require(request, FILE)
    try:
        result = case_refile(
            actor=request_actor(request),
            case=_case(request, case_id),
            intake=payload.intake(),
        )
    except RecordsError as error:
        return _error(error)
    return Status(201 if result.filed else 200, filing_out(result))


@router.post(
    "/cases/{case_id}/original-return",
    response={200: CaseOut, 422: ErrorOut},
    summary="The department brings the original back; the archive's copy goes back",
)
def original_return_api(request: HttpRequest, case_id: int) -> Any:
    _require(request, FILE)
    try:
        case = original_return(
            actor=request_actor(request), case=_case(request, case_id)
        )
    except RecordsError as error:
        return _error(error)
    return Status(200, _case_out(case))
