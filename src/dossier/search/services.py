"""Saved searches: a member of staff keeps a query with its filters, maybe shared."""

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from dossier.core.models import Property
from dossier.search.errors import SearchError, SearchErrorCode
from dossier.search.filters import QUERY_MAX, SearchFilters, filters_problem
from dossier.search.models import SavedSearch

NAME_MAX = 100


def saved_search_create(
    *,
    actor: User,
    property: Property,
    name: str,
    query: str,
    filters: SearchFilters,
    shared: bool = False,
) -> SavedSearch:
    """Keep ``query`` and ``filters`` under ``name``; a name is used once per owner."""
    name = name.strip()
    if not name:
        raise SearchError(SearchErrorCode.NAME_EMPTY, "请填写名称", field="name")
    if len(name) > NAME_MAX:
        raise SearchError(
            SearchErrorCode.INVALID_FILTER, f"名称最多 {NAME_MAX} 个字符", field="name"
        )
    if len(query) > QUERY_MAX:
        raise SearchError(
            SearchErrorCode.INVALID_FILTER,
            f"检索内容最多 {QUERY_MAX} 个字符",
            field="q",
        )
    problem = filters_problem(filters)
    if problem is not None:
        raise SearchError(SearchErrorCode.INVALID_FILTER, problem[1], field=problem[0])
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(
                property=property,
                owner=actor,
                name=name,
                query=query.strip(),
                filters=filters.to_json(),
                shared=shared,
            )
    except IntegrityError:
        raise SearchError(
            SearchErrorCode.NAME_TAKEN, f"已有名为“{name}”的检索", field="name"
        ) from None


def saved_search_delete(*, actor: User, saved: SavedSearch) -> None:
    """Delete a saved search; only its owner may."""
    if saved.owner_id != actor.pk:
        raise SearchError(SearchErrorCode.NOT_OWNER, "只能删除自己保存的检索")
    saved.delete()
