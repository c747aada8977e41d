"""The guest table every guest export uses: list, search results, class list.

It shows what the list shows — masked phones and ID numbers, the class from
:func:`dossier.classes.selectors.guest_class_of` — and spend only to those who may
see it on screen.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dossier.classes.selectors import class_row, guest_class_of, guests_of_class
from dossier.core.exports import Column, Kind, Table
from dossier.core.models import Property
from dossier.guests.models import Guest
from dossier.guests.selectors import guest_honorific, guests_visible
from dossier.zh.phones import mask_phone

CHUNK = 2000


def _columns(sees_spend: bool) -> list[Column]:
    columns = [
        Column(_("档案号"), Kind.INTEGER),
        Column(_("姓名")),
        Column(_("拼音")),
        Column(_("称呼")),
        Column(_("客户类别")),
        Column(_("人工指定")),
        Column(_("手机")),
        Column(_("证件号码")),
        Column(_("所属单位")),
        Column(_("建档日期"), Kind.DATE),
    ]
    if sees_spend:
        columns += [
            Column(_("近一年消费"), Kind.MONEY),
            Column(_("近一年消费次数"), Kind.INTEGER),
        ]
    return columns


def _row(guest: Guest, prop: Property, sees_spend: bool) -> list[Any]:
    phones = sorted(guest.phones.all(), key=lambda p: (not p.is_primary, p.pk))
    documents = list(guest.documents.all())
    row = class_row(guest)
    values: list[Any] = [
        guest.pk,
        guest.full_name,
        guest.name_pinyin,
        guest_honorific(guest, prop),
        guest_class_of(guest),
        _("是") if row and row.pinned else "",
        mask_phone(phones[0].e164) if phones else "",
        documents[0].number_masked if documents else "",
        guest.company.name if guest.company else guest.employer,
        guest.created_at.astimezone(prop.zone).date(),
    ]
    if sees_spend:
        values += [row.annual_spend if row else None, row.visits if row else None]
    return values


def guest_table(
    viewer: User | AnonymousUser, guests: QuerySet[Guest], *, title: str
) -> Table:
    """``guests`` (already narrowed to what ``viewer`` sees) as an export table."""
    sees_spend = bool(viewer.has_perm("history.view_spend"))
    loaded = guests.select_related(
        "property", "company", "customer_class"
    ).prefetch_related("phones", "documents")

    def rows() -> Iterator[Sequence[Any]]:
        for guest in loaded.iterator(chunk_size=CHUNK):
            yield _row(guest, guest.property, sees_spend)

    return Table(title=title, columns=_columns(sees_spend), rows=rows())


def class_list_table(viewer: User | AnonymousUser, prop: Property, klass: str) -> Table:
    guests = guests_visible(viewer).filter(property=prop)
    if klass:
        guests = guests_of_class(guests, klass)
    title = _("%(klass)s 类客户") % {"klass": klass} if klass else _("客户分级")
    return guest_table(viewer, guests.order_by("name_sort", "id"), title=title)


def search_table(
    viewer: User | AnonymousUser, *, property_id: int, query: str, filters: Any
) -> Table:
    """The guests a search finds (as many as it ranks), best first."""
    from django.db.models import Case, IntegerField, Value, When

    from dossier.search.selectors import SEARCH_LIMIT, guest_search

    hits = guest_search(
        property_id=property_id, query=query, filters=filters, limit=SEARCH_LIMIT
    )
    ids = [hit.guest_id for hit in hits]
    rank = Case(
        *(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)),
        output_field=IntegerField(),
    )
    guests = guests_visible(viewer).filter(pk__in=ids).order_by(rank)
    return guest_table(viewer, guests, title=_("检索结果"))
