"""The guest table every guest export uses: list, search results, class list.

It shows what the list shows — masked phones and ID numbers, the class from
:func:`dossier.classes.selectors.guest_class_of` — and spend only to those who may
see it on screen.
"""

import itertools
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dossier.classes.models import ClassChange
from dossier.classes.selectors import CLASS_FIELD, guests_of_class, pinned_guests
from dossier.core.exports import Column, Kind, Table
from dossier.core.models import Property
from dossier.core.people import staff_name
from dossier.guests.models import Guest, GuestPhone, IdentityDocument
from dossier.guests.selectors import guests_visible, honorific_of
from dossier.zh.phones import mask_e164

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


GUEST_VALUES = (
    "pk", "property_id", "full_name", "name_pinyin", "surname", "given_name",
    "gender", "name_is_han", "title", "honorific_override", CLASS_FIELD,
    "company__name", "employer", "created_at", "customer_class__pinned",
    "customer_class__annual_spend", "customer_class__visits",
)  # fmt: skip


def _row(
    guest: dict[str, Any], prop: Property, phone: str, document: str, sees_spend: bool
) -> list[Any]:
    values: list[Any] = [
        guest["pk"],
        guest["full_name"],
        guest["name_pinyin"],
        honorific_of(
            surname=guest["surname"], given_name=guest["given_name"],
            gender=guest["gender"], is_han=guest["name_is_han"],
            title=guest["title"], override=guest["honorific_override"], prop=prop,
        ),
        guest[CLASS_FIELD],
        _("是") if guest["customer_class__pinned"] else "",
        mask_e164(phone) if phone else "",
        document,
        guest["company__name"] or guest["employer"],
        guest["created_at"].astimezone(prop.zone).date(),
    ]  # fmt: skip
    if sees_spend:
        values += [
            guest["customer_class__annual_spend"],
            guest["customer_class__visits"],
        ]
    return values


def _first_phones(ids: list[int]) -> dict[int, str]:
    """Each guest's primary phone, else the first one recorded."""
    found: dict[int, str] = {}
    phones = GuestPhone.objects.filter(guest_id__in=ids).order_by(
        "guest_id", "-is_primary", "pk"
    )
    for guest_id, e164 in phones.values_list("guest_id", "e164"):
        found.setdefault(guest_id, e164)
    return found


def _first_documents(ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    documents = IdentityDocument.objects.filter(guest_id__in=ids).order_by("pk")
    for guest_id, masked in documents.values_list("guest_id", "number_masked"):
        found.setdefault(guest_id, masked)
    return found


def guest_table(
    viewer: User | AnonymousUser, guests: QuerySet[Guest], *, title: str
) -> Table:
    """``guests`` (already narrowed to what ``viewer`` sees) as an export table.

    Read as plain values, a chunk at a time, with one query for the phones and one
    for the documents of each chunk: an archive of a hundred thousand guests
    exports in seconds and in bounded memory.
    """
    sees_spend = bool(viewer.has_perm("history.view_spend"))
    properties: dict[int, Property] = {}

    def rows() -> Iterator[Sequence[Any]]:
        found = guests.values(*GUEST_VALUES).iterator(chunk_size=CHUNK)
        while chunk := list(itertools.islice(found, CHUNK)):
            ids = [guest["pk"] for guest in chunk]
            phones, documents = _first_phones(ids), _first_documents(ids)
            for guest in chunk:
                prop_id = guest["property_id"]
                if prop_id not in properties:
                    properties[prop_id] = Property.objects.get(pk=prop_id)
                yield _row(guest, properties[prop_id], phones.get(guest["pk"], ""),
                           documents.get(guest["pk"], ""), sees_spend)  # fmt: skip

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


def change_words(change: ClassChange) -> str:
    """A change as the guest's class page writes it: ``B → A``, ``— → C``."""
    return f"{change.from_class or '—'} → {change.to_class}"


def guest_history_table(guest: Guest, changes: QuerySet[ClassChange]) -> Table:
    """The class changes of one guest as its class page lists them, latest first."""
    columns = [
        Column(_("日期"), Kind.DATE),
        Column(_("变动")),
        Column(_("方式")),
        Column(_("原因")),
        Column(_("操作人")),
    ]
    rows = (
        [c.on, change_words(c), c.get_kind_display(), c.reason_shown, staff_name(c.by)]
        for c in changes.iterator(chunk_size=CHUNK)
    )
    title = _("类别变动记录：%(name)s") % {"name": guest.full_name}
    return Table(title, columns, rows)


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
                change.reason_shown,
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
    rows = (
        [
            row.guest_id,
            row.guest.full_name,
            row.klass,
            row.pin_reason,
            str(row.pinned_by) if row.pinned_by else "",
        ]
        for row in pinned.iterator(chunk_size=CHUNK)
    )
    return Table(_("人工指定类别"), columns, rows)
