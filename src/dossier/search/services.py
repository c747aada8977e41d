"""Saved searches: a member of staff keeps a query with its filters, maybe shared."""

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

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
        raise SearchError(SearchErrorCode.NAME_EMPTY, _("请填写名称"), field="name")
    if len(name) > NAME_MAX:
        raise SearchError(
            SearchErrorCode.INVALID_FILTER,
            _("名称最多 %(name_max)s 个字符") % {"name_max": NAME_MAX},
            field="name",
        )
    if len(query) > QUERY_MAX:
        raise SearchError(
            SearchErrorCode.INVALID_FILTER,
            _("检索内容最多 %(query_max)s 个字符") % {"query_max": QUERY_MAX},
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
            SearchErrorCode.NAME_TAKEN,
            _("已有名为“%(name)s”的检索") % {"name": name},
            field="name",
        ) from None


def saved_search_delete(*, actor: User, saved: SavedSearch) -> None:
    """Delete a saved search; only its owner may."""
    if saved.owner_id != actor.pk:
        raise SearchError(SearchErrorCode.NOT_OWNER, _("只能删除自己保存的检索"))
    saved.delete()
