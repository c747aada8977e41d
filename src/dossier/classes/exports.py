"""The guest table every guest export uses: list, search results, class list.

It shows what the list shows — masked phones and ID numbers, the class from
:func:`dossier.classes.selectors.guest_class_of` — and spend only to those who may
see it on screen.
"""

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dossier.classes.models import ClassChange
from dossier.classes.selectors import (
    class_row,
    guest_class_of,
    guests_of_class,
    pinned_guests,
)
from dossier.core.exports import Column, Kind, Table
from dossier.core.models import Property
from dossier.core.people import staff_name
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


def class_changes_table(
    viewer: User | AnonymousUser, prop: Property, *, since: date | None = None
) -> Table:
    """Every class change of the guests ``viewer`` sees, the newest first."""
    changes = (
        ClassChange.objects.filter(
            guest__in=guests_visible(viewer).filter(property=prop)
        )
        .select_related("guest", "by")
        .order_by("-at", "-id")
    )
    if since is not None:
        changes = changes.filter(on__gte=since)
    columns = [
        Column(_("生效日期"), Kind.DATE),
        Column(_("档案号"), Kind.INTEGER),
        Column(_("客人")),
        Column(_("原类别")),
        Column(_("新类别")),
        Column(_("方式")),
        Column(_("原因")),
        Column(_("操作人")),
        Column(_("记录时间"), Kind.DATETIME),
    ]

    def rows() -> Iterator[Sequence[Any]]:
        for change in changes.iterator(chunk_size=CHUNK):
            by = change.by
            yield [
                change.on,
                change.guest_id,
                change.guest.full_name,
                change.from_class,
                change.to_class,
                change.get_kind_display(),
                change.reason,
                staff_name(by),
                change.at.astimezone(prop.zone),
            ]

    return Table(_("类别变动"), columns, rows())


def pinned_table(viewer: User | AnonymousUser, prop: Property) -> Table:
    """The classes staff pinned, with who pinned them and why."""
    visible = guests_visible(viewer).filter(property=prop).values("pk")
    pinned = pinned_guests(prop).filter(guest_id__in=visible)
    columns = [
        Column(_("档案号"), Kind.INTEGER),
        Column(_("客人")),
        Column(_("类别")),
        Column(_("原因")),
        Column(_("指定人")),
    ]
    rows = [
        [
            row.guest_id,
            row.guest.full_name,
            row.klass,
            row.pin_reason,
            str(row.pinned_by) if row.pinned_by else "",
        ]
        for row in pinned
    ]
    return Table(_("人工指定类别"), columns, rows)
