"""Export tables of a guest's history tabs (stays, and bills line by line) and of
the cost rates.

They hold what the tabs show to the same viewer: prices and totals only to those
who may see spend; times in the property's zone.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dossier.core.exports import Column, Kind, Table
from dossier.guests.models import Guest
from dossier.history.models import Bill, CostRate, Stay

CHUNK = 500


def stays_table(guest: Guest, stays: QuerySet[Stay], *, sees_spend: bool) -> Table:
    columns = [
        Column(_("到店日期"), Kind.DATE),
        Column(_("离店日期"), Kind.DATE),
        Column(_("房号")),
        Column(_("房型")),
        Column(_("间夜"), Kind.INTEGER),
        *([Column(_("房价"), Kind.MONEY)] if sees_spend else []),
        Column(_("客源")),
        Column(_("状态")),
        Column(_("特殊要求")),
    ]

    def rows() -> Iterator[Sequence[Any]]:
        for stay in stays.iterator(chunk_size=CHUNK):
            yield [
                stay.arrival, stay.departure, stay.room, stay.room_type, stay.nights,
                *([stay.rate] if sees_spend else []),
                stay.segment, stay.get_status_display(), stay.special_requests,
            ]  # fmt: skip

    title = _("住店记录 %(name)s") % {"name": guest.full_name}
    return Table(title, columns, rows())


def bills_table(guest: Guest, bills: QuerySet[Bill], *, sees_spend: bool) -> Table:
    """One row per dish ordered; a bill without lines is one row without a dish."""
    zone = guest.property.zone
    columns = [
        Column(_("开台时间"), Kind.DATETIME),
        Column(_("营业点")),
        Column(_("台号")),
        Column(_("人数"), Kind.INTEGER),
        Column(_("状态")),
        *([Column(_("消费金额"), Kind.MONEY)] if sees_spend else []),
        Column(_("菜品")),
        Column(_("数量"), Kind.DECIMAL),
        Column(_("评价")),
    ]

    def rows() -> Iterator[Sequence[Any]]:
        for bill in bills.iterator(chunk_size=CHUNK):
            head = [
                bill.opened_at.astimezone(zone), bill.outlet.name, bill.table,
                bill.covers, bill.get_status_display(),
                *([bill.total] if sees_spend else []),
            ]  # fmt: skip
            lines = list(bill.lines.all())
            for line in lines:
                rating = line.get_rating_display() if line.rating else ""
                yield [*head, line.dish.name, line.quantity, rating]
            if not lines:
                yield [*head, "", None, ""]

    title = _("餐饮账单 %(name)s") % {"name": guest.full_name}
    return Table(title, columns, rows())


def cost_rates_table(rates: Iterable[CostRate]) -> Table:
    """The cost and expense rates set per outlet and dish category."""
    columns = [
        Column(_("营业点")),
        Column(_("菜品类别")),
        Column(_("直接成本率"), Kind.PERCENT),
        Column(_("经营费用率"), Kind.PERCENT),
    ]
    rows = (
        [
            rate.outlet.name,
            rate.category or _("（整个营业点）"),
            rate.cost_percent(),
            rate.expense_percent(),
        ]
        for rate in rates
    )
    return Table(_("成本率与费用率"), columns, rows)
