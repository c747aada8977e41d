"""Filters of a search: class, tag, department, preference and date ranges.

A filter narrows the guests a query finds; with no query it lists the guests it
admits. Filters are plain values so that a saved search can keep them as JSON.
"""

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from dossier.guests.models import Guest, Observation, ObservationStatus
from dossier.history.models import Bill, BillStatus, Stay, StayStatus
from dossier.search.models import SearchKey

# Stays and bills that count as a visit: the guest was actually here.
VISIT_STAYS = (StayStatus.IN_HOUSE, StayStatus.CHECKED_OUT)
VISIT_BILLS = (BillStatus.SETTLED, BillStatus.OPEN)
DATE_FIELDS = (
    "birth_from",
    "birth_to",
    "visit_from",
    "visit_to",
    "created_from",
    "created_to",
)


# Dates a search can sensibly bound; beyond them a range is a typing error.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
QUERY_MAX = 200
# Each range of a search: its start, its end and what it bounds.
RANGES: tuple[tuple[str, str, Promise], ...] = (
    ("birth_from", "birth_to", gettext_lazy("出生日期")),
    ("visit_from", "visit_to", gettext_lazy("最近到访日期")),
    ("created_from", "created_to", gettext_lazy("建档日期")),
)


def range_inverted(label: Promise | str, first: date, last: date) -> str:
    """The message of a range whose end comes before its start, naming both."""
    return gettext("%(label)s范围颠倒：结束日期 %(last)s 早于开始日期 %(first)s") % {
        "label": label,
        "first": first.isoformat(),
        "last": last.isoformat(),
    }


@dataclass(frozen=True)
class SearchFilters:
    """What a search is narrowed to; empty values admit every guest.

    ``preference`` uses the query syntax ``item: value`` (``枕头: 低``,
    ``pillow: low``). ``visit_from``/``visit_to`` bound the *last* visit (stay or
    meal), all dates inclusive, in the property's time zone.
    """

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

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def to_json(self) -> dict[str, Any]:
        """The filters that are set, dates as ISO strings."""
        values = asdict(self)
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in values.items()
            if value
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SearchFilters":
        """Filters from :meth:`to_json`; unknown names are ignored, bad dates raise
        ``ValueError``."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name not in known or value in (None, ""):
                continue
            if name in DATE_FIELDS and isinstance(value, str):
                value = date.fromisoformat(value)
            values[name] = value
        return cls(**values)


def _visits(start: datetime | None, end: datetime | None) -> Q:
    """Guests (as ``OuterRef('pk')``) with a stay or a meal in [start, end)."""
    stays = Stay.objects.filter(guest_id=OuterRef("pk"), status__in=VISIT_STAYS)
    bills = Bill.objects.filter(guest_id=OuterRef("pk"), status__in=VISIT_BILLS)
    if start is not None:
        stays = stays.filter(arrival__gte=start.date())
        bills = bills.filter(opened_at__gte=start)
    if end is not None:
        stays = stays.filter(arrival__lt=end.date())
        bills = bills.filter(opened_at__lt=end)
    return Q(Exists(stays)) | Q(Exists(bills))


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _last_visit(filters: SearchFilters, zone: ZoneInfo) -> Q:
    start = _day_start(filters.visit_from, zone) if filters.visit_from else None
    end = (
        _day_start(filters.visit_to + timedelta(days=1), zone)
        if filters.visit_to
        else None
    )
    condition = _visits(start, end)
    if end is not None:
        condition &= ~_visits(end, None)
    return condition


def _created(filters: SearchFilters, zone: ZoneInfo) -> Q:
    condition = Q()
    if filters.created_from:
        condition &= Q(created_at__gte=_day_start(filters.created_from, zone))
    if filters.created_to:
        end = _day_start(filters.created_to + timedelta(days=1), zone)
        condition &= Q(created_at__lt=end)
    return condition


def guest_filter(
    filters: SearchFilters, *, zone: ZoneInfo, preference: Q | None = None
) -> Q:
    """A condition on :class:`Guest` rows. ``preference`` is the key condition the
    preference filter was parsed into (see :func:`dossier.search.query`)."""
    condition = Q()
    if filters.guest_class:
        condition &= Q(guest_class=filters.guest_class)
    if filters.tag:
        through = Guest.tags.through.objects.filter(
            guest_id=OuterRef("pk"), tag__name=filters.tag.strip()
        )
        condition &= Q(Exists(through))
    if filters.department:
        observations = Observation.objects.filter(
            guest_id=OuterRef("pk"),
            department=filters.department,
            status__in=[ObservationStatus.PENDING, ObservationStatus.CONFIRMED],
        )
        condition &= Q(Exists(observations))
    if preference is not None:
        keys = SearchKey.objects.filter(guest_id=OuterRef("pk")).filter(preference)
        condition &= Q(Exists(keys))
    if filters.birth_from:
        condition &= Q(birth_date__gte=filters.birth_from)
    if filters.birth_to:
        condition &= Q(birth_date__lte=filters.birth_to)
    if filters.visit_from or filters.visit_to:
        condition &= _last_visit(filters, zone)
    return condition & _created(filters, zone)


def filters_problem(filters: SearchFilters) -> tuple[str, str] | None:
    """``(field, message)`` of the first filter no search can use, or ``None``."""
    from dossier.core.models import Department
    from dossier.guests.models import GuestClass

    if filters.guest_class and filters.guest_class not in GuestClass.values:
        return "guest_class", _("没有客户类别“%(guest_class)s”") % {
            "guest_class": filters.guest_class
        }
    if filters.department and filters.department not in Department.values:
        return "department", _("没有部门“%(department)s”") % {
            "department": filters.department
        }
    for name in DATE_FIELDS:
        day = getattr(filters, name)
        if day is not None and not DATE_MIN <= day <= DATE_MAX:
            return name, _("日期应在 %(date_min)s 至 %(date_max)s 之间") % {
                "date_min": DATE_MIN,
                "date_max": DATE_MAX,
            }
    for start, end, label in RANGES:
        first, last = getattr(filters, start), getattr(filters, end)
        if first is not None and last is not None and last < first:
            return end, range_inverted(label, first, last)
    return None
