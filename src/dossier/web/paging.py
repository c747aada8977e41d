"""Paging of the lists of every app: true counts, a page at a time.

A list shows one page of :data:`PAGE_SIZE` rows with ``web/_pagination.html``, whose
links keep the list's filters; its export reads every row, not the page.
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50

T = TypeVar("T")


def page_of(
    request: HttpRequest,
    items: QuerySet[Any] | Sequence[T],
    *,
    size: int = PAGE_SIZE,
    param: str = "page",
) -> Page[Any]:
    """The page of ``items`` that ``?page=`` names; a bad or past-the-end number
    gives the nearest page rather than an error."""
    return Paginator(items, size).get_page(request.GET.get(param))
