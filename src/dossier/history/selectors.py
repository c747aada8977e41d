"""Reads of a guest's stays and bills, newest first, with the filters staff use."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet

from dossier.guests.models import Guest
from dossier.history.models import Bill, BillLine, Stay


@dataclass(frozen=True)
class HistoryFilter:
    """What staff narrow a history by; every field is optional."""

    since: date | None = None
    until: date | None = None
    status: str = ""
    outlet_id: int | None = None
    dish: str = ""

    @property
    def active(self) -> bool:
        return any(
            (self.since, self.until, self.status, self.outlet_id, self.dish.strip())
        )


def stays_of(guest: Guest, filters: HistoryFilter | None = None) -> QuerySet[Stay]:
    """The guest's stays, newest arrival first; a date range keeps overlapping stays."""
    filters = filters or HistoryFilter()
    stays = Stay.objects.filter(guest=guest)
    if filters.since:
        stays = stays.filter(departure__gte=filters.since)
    if filters.until:
        stays = stays.filter(arrival__lte=filters.until)
    if filters.status:
        stays = stays.filter(status=filters.status)
    return stays.order_by("-arrival", "-id")


def bills_of(guest: Guest, filters: HistoryFilter | None = None) -> QuerySet[Bill]:
    """The guest's bills with their lines and dishes, newest first.

    Dates are the property's calendar days of opening the bill; a dish filter keeps
    the bills in which a dish whose name contains the text was ordered.
    """
    filters = filters or HistoryFilter()
    lines = BillLine.objects.select_related("dish").order_by("id")
    bills = Bill.objects.filter(guest=guest)
    zone = guest.property.zone
    if filters.since:
        bills = bills.filter(
            opened_at__gte=datetime.combine(filters.since, time(), zone)
        )
    if filters.until:
        next_day = filters.until + timedelta(days=1)
        bills = bills.filter(opened_at__lt=datetime.combine(next_day, time(), zone))
    if filters.status:
        bills = bills.filter(status=filters.status)
    if filters.outlet_id:
        bills = bills.filter(outlet_id=filters.outlet_id)
    dish = filters.dish.strip()
    if dish:
        bills = bills.filter(
            pk__in=BillLine.objects.filter(
                bill__guest=guest, dish__name__contains=dish
            ).values("bill_id")
        )
    return (
        bills.select_related("outlet")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("-opened_at", "-id")
    )
