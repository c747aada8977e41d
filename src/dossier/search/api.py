"""Search endpoints: ranked search with filters, and saved searches."""

from datetime import date
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from dossier.api.errors import ApiErrorCode
from dossier.search.errors import SearchError
from dossier.search.filters import SearchFilters
from dossier.search.selectors import (
    saved_search_filters,
    saved_searches_visible,
    search_page,
)
from dossier.search.services import saved_search_create, saved_search_delete
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

router = Router(tags=["search"])
MAX_PAGE_SIZE = 100
# Search results page by number, 25 a page unless asked, at most 100.
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]
PageNumber = Annotated[int, Field(ge=1)]


class FiltersIn(Schema):
    guest_class: str = ""
    tag: str = ""
    department: str = ""
    preference: str = ""
    birth_from: date | None = None
    birth_to: date | None = None
    visit_from: date | None = None
    visit_to: date | None = None
    created_from: date | None = None
    created_to: date | None = None

    def filters(self) -> SearchFilters:
        return SearchFilters(**self.dict())


class SavedIn(FiltersIn):
    name: str
    query: str = ""
    shared: bool = False


def _authorize(request: HttpRequest) -> None:
    if not request.user.has_perm("guests.view_guest"):
        raise PermissionError


def _results(
    request: HttpRequest, query: str, filters: SearchFilters, page: int, size: int
) -> dict[str, Any]:
    results = search_page(
        viewer=request.user,
        property_id=viewer_property(request.user).pk,
        query=query,
        filters=filters,
        number=page,
        per_page=size,
    )
    return {
        "count": results.page.paginator.count,
        "capped": results.capped,
        "notice": results.notice,
        "page": results.page.number,
        "pages": results.page.paginator.num_pages,
        "results": results.rows,
    }


@router.get("", summary="Search guests: query, filters, ranked with reasons")
def search(
    request: HttpRequest,
    filters: Query[FiltersIn],
    q: str = "",
    page: PageNumber = 1,
    page_size: PageSize = 25,
) -> dict[str, Any]:
    _authorize(request)
    return _results(request, q, filters.filters(), page, page_size)


def _saved_out(saved: Any) -> dict[str, Any]:
    return {
        "id": saved.pk,
        "name": saved.name,
        "query": saved.query,
        "filters": saved_search_filters(saved).to_json(),
        "shared": saved.shared,
        "owner": saved.owner.get_username(),
    }


def _saved(request: HttpRequest, saved_id: int) -> Any:
    saved = (
        saved_searches_visible(
            viewer=request_actor(request),
            property_id=viewer_property(request.user).pk,
        )
        .filter(pk=saved_id)
        .first()
    )
    if saved is None:
        raise Http404
    return saved


@router.get("/saved", summary="Saved searches: one's own and those shared")
def saved_list(request: HttpRequest) -> dict[str, Any]:
    _authorize(request)
    visible = saved_searches_visible(
        viewer=request_actor(request), property_id=viewer_property(request.user).pk
    )
    return {"saved": [_saved_out(saved) for saved in visible]}


@router.post("/saved", response={201: dict[str, Any], 422: dict[str, Any]})
def saved_create(request: HttpRequest, payload: SavedIn) -> Status[dict[str, Any]]:
    _authorize(request)
    filters = FiltersIn(**payload.dict(exclude={"name", "query", "shared"}))
    try:
        saved = saved_search_create(
            actor=request_actor(request),
            property=viewer_property(request.user),
            name=payload.name,
            query=payload.query,
            filters=filters.filters(),
            shared=payload.shared,
        )
    except SearchError as error:
        return Status(422, _error(ApiErrorCode.INVALID, error))
    return Status(201, _saved_out(saved))


@router.get("/saved/{saved_id}/run", summary="Run a saved search")
def saved_run(
    request: HttpRequest,
    saved_id: int,
    page: PageNumber = 1,
    page_size: PageSize = 25,
) -> dict[str, Any]:
    _authorize(request)
    saved = _saved(request, saved_id)
    filters = saved_search_filters(saved)
    return _results(request, saved.query, filters, page, page_size)


@router.delete("/saved/{saved_id}", response={204: None, 403: dict[str, Any]})
def saved_delete(request: HttpRequest, saved_id: int) -> Status[Any]:
    _authorize(request)
    try:
        saved_search_delete(
            actor=request_actor(request), saved=_saved(request, saved_id)
        )
    except SearchError as error:
        return Status(403, _error(ApiErrorCode.FORBIDDEN, error))
    return Status(204, None)


def _error(code: ApiErrorCode, error: SearchError) -> dict[str, Any]:
    return {"code": str(code), "message": error.message, "reason": str(error.code)}
