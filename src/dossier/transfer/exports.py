"""The inbox and the sent list as xlsx or csv tables, each item as the reader may
see it now.

An item the reader may no longer see (its class was restricted, it was destroyed)
is written as unavailable, without its title, as on the page.
"""

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.core.exports import Column, Kind, Table
from dossier.core.people import staff_name
from dossier.transfer.items import items_view
from dossier.transfer.models import Delivery, Transfer
from dossier.transfer.selectors import SentState, sent_state

# Deliveries whose items are looked up together, one query per kind for each batch.
BATCH = 500


def _rows(
    viewer: User | AnonymousUser, deliveries: Iterable[Delivery]
) -> Iterator[list[Any]]:
    every = iter(deliveries)
    while batch := list(islice(every, BATCH)):
        views = items_view(viewer, [d.transfer for d in batch])
        for delivery, view in zip(batch, views, strict=True):
            yield [
                view.label if view.available else _("（无权查看或已不存在）"),
                delivery.transfer.get_kind_display(),
                staff_name(delivery.transfer.sender),
                timezone.localtime(delivery.delivered_at),
                _("已读") if delivery.read_at else _("未读"),
                delivery.transfer.note,
            ]


def inbox_table(viewer: User | AnonymousUser, deliveries: Iterable[Delivery]) -> Table:
    """The deliveries of ``viewer``'s inbox, newest first."""
    columns = [
        Column(_("内容")),
        Column(_("类型")),
        Column(_("发件人")),
        Column(_("收到时间"), Kind.DATETIME),
        Column(_("状态")),
        Column(_("附言")),
    ]
    return Table(_("收件箱"), columns, _rows(viewer, deliveries))


def read_words(state: SentState) -> str:
    """Whether a transfer was opened, as the sent page says it."""
    if state.recipients == 1:
        return _("已读") if state.read else _("未读")
    return _("%(read)s / %(all)s 人已读") % {
        "read": state.read,
        "all": state.recipients,
    }


def _sent_rows(
    viewer: User | AnonymousUser, transfers: Iterable[Transfer]
) -> Iterator[list[Any]]:
    every = iter(transfers)
    while batch := list(islice(every, BATCH)):
        views = items_view(viewer, batch)
        for transfer, view in zip(batch, views, strict=True):
            state = sent_state(transfer)
            yield [
                view.label if view.available else _("（无权查看或已不存在）"),
                transfer.get_kind_display(),
                state.to,
                timezone.localtime(transfer.sent_at),
                read_words(state),
                timezone.localtime(state.read_at) if state.read_at else None,
                transfer.note,
            ]


def sent_table(viewer: User | AnonymousUser, transfers: Iterable[Transfer]) -> Table:
    """What ``viewer`` sent, newest first, with whether it was opened."""
    columns = [
        Column(_("内容")),
        Column(_("类型")),
        Column(_("发送给")),
        Column(_("发送时间"), Kind.DATETIME),
        Column(_("状态")),
        Column(_("阅读时间"), Kind.DATETIME),
        Column(_("附言")),
    ]
    return Table(_("已发送"), columns, _sent_rows(viewer, transfers))
