"""Quotas of the collection regime (G21) and who meets them.

The source asks senior managers to meet at least 5 guests a month, middle managers 15,
and every member of staff to file at least 2 observations (客史信息) a day; each
property may change the numbers. A *contact* is an observation filed by the member of
staff with a touchpoint of direct contact (a visit at the table, an interview, a
feedback call …), the list of which each property keeps; a guest met several times in
the period counts once. Days are the property's days, never UTC days.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.collection.errors import CollectionError
from dossier.collection.models import (
    CollectionSettings,
    Measure,
    Period,
    Quota,
    Rank,
    StaffRank,
)
from dossier.core.audit import AuditAction, audit
from dossier.core.models import Department, Property, StaffProfile
from dossier.core.people import staff_name
from dossier.guests.models import Observation

DEFAULT_QUOTAS: dict[str, tuple[str, str, int]] = {
    Rank.SENIOR: (Measure.CONTACTS, Period.MONTH, 5),
    Rank.MIDDLE: (Measure.CONTACTS, Period.MONTH, 15),
    Rank.STAFF: (Measure.OBSERVATIONS, Period.DAY, 2),
}
DEFAULT_CONTACT_TOUCHPOINTS = [
    "拜访客人",
    "餐厅巡台",
    "面谈",
    "意见征询",
    "电话回访",
    "迎送客人",
]
DEPARTMENT_RANK = {
    Department.MANAGEMENT: Rank.MIDDLE,
    Department.ADMINISTRATION: Rank.EXEMPT,
    Department.ARCHIVE: Rank.EXEMPT,
}
MAX_TARGET = 1000


def quota_rules(property: Property) -> dict[str, Quota]:
    """The quota of each rank: the property's own, else the source's numbers."""
    rules = {
        rank: Quota(
            property=property, rank=rank, measure=measure, period=period, target=n
        )
        for rank, (measure, period, n) in DEFAULT_QUOTAS.items()
    }
    for quota in Quota.objects.filter(property=property):
        rules[quota.rank] = quota
    return rules


def contact_touchpoints(property: Property) -> list[str]:
    found = CollectionSettings.objects.filter(property=property).first()
    return (
        list(found.contact_touchpoints) if found else list(DEFAULT_CONTACT_TOUCHPOINTS)
    )


@transaction.atomic
def quota_set(
    *,
    actor: User,
    property: Property,
    rank: str,
    measure: str,
    period: str,
    target: int,
) -> Quota:
    """Change the quota of ``rank`` at ``property``."""
    if rank not in DEFAULT_QUOTAS:
        raise CollectionError(
            _("层级“%(rank)s”不设定额") % {"rank": rank}, field="rank"
        )
    if measure not in Measure.values:
        raise CollectionError(
            _("考核内容“%(measure)s”无效") % {"measure": measure}, field="measure"
        )
    if period not in Period.values:
        raise CollectionError(
            _("周期“%(period)s”无效") % {"period": period}, field="period"
        )
    if not 0 <= target <= MAX_TARGET:
        raise CollectionError(
            _("应在 0 到 %(max_target)s 之间") % {"max_target": MAX_TARGET},
            field="target",
        )
    quota, _x = Quota.objects.update_or_create(
        property=property,
        rank=rank,
        defaults={
            "measure": measure,
            "period": period,
            "target": target,
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
    )
    audit(
        actor=actor,
        action=AuditAction.QUOTA_CHANGED,
        obj=quota,
        rank=rank,
        measure=measure,
        period=period,
        target=target,
    )
    return quota


@transaction.atomic
def contact_touchpoints_set(
    *, actor: User, property: Property, touchpoints: list[str]
) -> CollectionSettings:
    """Say which touchpoints count as meeting a guest in person."""
    cleaned = list(dict.fromkeys(t.strip() for t in touchpoints if t.strip()))
    if not cleaned:
        raise CollectionError(_("至少需要一个计为接触客人的场合"), field="touchpoints")
    too_long = [t for t in cleaned if len(t) > 60]
    if too_long:
        raise CollectionError(
            _("场合“%(too_long)s”过长（最多 60 字）") % {"too_long": too_long[0][:20]},
            field="touchpoints",
        )
    found, _x = CollectionSettings.objects.update_or_create(
        property=property, defaults={"contact_touchpoints": cleaned}
    )
    audit(
        actor=actor,
        action=AuditAction.QUOTA_CHANGED,
        obj=found,
        contact_touchpoints=cleaned,
    )
    return found


@transaction.atomic
def staff_rank_set(*, actor: User, user: User, rank: str) -> StaffRank:
    """Hold ``user`` to the quota of ``rank``."""
    if rank not in Rank.values:
        raise CollectionError(_("层级“%(rank)s”无效") % {"rank": rank}, field="rank")
    found, _x = StaffRank.objects.update_or_create(user=user, defaults={"rank": rank})
    audit(actor=actor, action=AuditAction.QUOTA_CHANGED, obj=user, rank=rank)
    return found


def rank_of(profile: StaffProfile, explicit: dict[int, str]) -> str:
    if profile.user_id in explicit:
        return explicit[profile.user_id]
    return str(
        DEPARTMENT_RANK.get(
            Department(profile.department or "front_office"), Rank.STAFF
        )
    )


@dataclass
class PersonResult:
    user: User
    department: str
    department_label: str
    rank: str
    quota: Quota
    actual: int
    required: int
    days: int = 0
    days_met: int = 0
    today: int | None = None

    @property
    def met(self) -> bool:
        return self.actual >= self.required

    @property
    def short(self) -> int:
        return max(self.required - self.actual, 0)

    @property
    def rank_label(self) -> str:
        return str(Rank(self.rank).label)

    @property
    def name(self) -> str:
        return staff_name(self.user)


@dataclass
class DepartmentResult:
    department: str
    label: str
    people: list[PersonResult] = field(default_factory=list)

    @property
    def met(self) -> int:
        return sum(1 for p in self.people if p.met)


@dataclass
class QuotaReport:
    month: date
    days: int
    departments: list[DepartmentResult]
    rules: dict[str, Quota]
    touchpoints: list[str]

    @property
    def people(self) -> list[PersonResult]:
        return [p for d in self.departments for p in d.people]


def month_bounds(property: Property, month: date) -> tuple[datetime, datetime]:
    """The month's first and the next month's first midnight where the property is."""
    first = month.replace(day=1)
    last_day = calendar.monthrange(first.year, first.month)[1]
    following = first + timedelta(days=last_day)
    zone = property.zone
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(following, time.min, tzinfo=zone),
    )


def _days_elapsed(month: date, today: date) -> int:
    first = month.replace(day=1)
    last_day = calendar.monthrange(first.year, first.month)[1]
    if today < first:
        return 0
    if (today.year, today.month) == (first.year, first.month):
        return today.day
    return last_day


def _day_of(property: Property, first: date, days: int) -> Case:
    """The day of the month (1, 2 …) of ``observed_at`` in the property's time zone.

    The midnights are computed here, so that neither database converts time zones
    row by row (SQLite would call back into Python for each).
    """
    zone = property.zone
    whens = [
        When(
            observed_at__lt=datetime.combine(
                first + timedelta(days=n), time.min, tzinfo=zone
            ),
            then=Value(n),
        )
        for n in range(1, days + 1)
    ]
    return Case(*whens, default=Value(days + 1), output_field=IntegerField())


def _counts(
    property: Property,
    month: date,
    today: date,
    touchpoints: list[str],
    measure: str,
) -> tuple[dict[int, int], dict[int, dict[date, int]]]:
    """Per member of staff: the total so far and each day's count of ``measure``."""
    first = month.replace(day=1)
    days = _days_elapsed(first, today)
    if days == 0:
        return {}, {}
    start = datetime.combine(first, time.min, tzinfo=property.zone)
    end = datetime.combine(first + timedelta(days=days), time.min, tzinfo=property.zone)
    rows = Observation.objects.filter(
        guest__property=property, observed_at__gte=start, observed_at__lt=end
    )
    counted = "id"
    if measure == Measure.CONTACTS:
        rows = rows.filter(touchpoint__in=touchpoints)
        counted = "guest_id"
    total = dict(
        rows.values("staff_id")
        .annotate(n=Count(counted, distinct=True))
        .values_list("staff_id", "n")
    )
    per_day: dict[int, dict[date, int]] = defaultdict(dict)
    daily = (
        rows.annotate(day=_day_of(property, first, days))
        .values("staff_id", "day")
        .annotate(n=Count(counted, distinct=True))
        .values_list("staff_id", "day", "n")
    )
    for staff_id, day, n in daily:
        per_day[staff_id][first + timedelta(days=day - 1)] = n
    return total, per_day


def quota_report(
    *, property: Property, month: date, today: date | None = None
) -> QuotaReport:
    """Who meets the quota of their rank in ``month``, per department and person.

    A daily quota is met over a month when the member of staff filed on average at
    least the daily number on each day so far; the days on which they reached it are
    shown too.
    """
    today = today or property.today()
    rules = quota_rules(property)
    touchpoints = contact_touchpoints(property)
    days = _days_elapsed(month, today)
    profiles = (
        StaffProfile.objects.filter(property=property, user__is_active=True)
        .select_related("user")
        .order_by("department", "user__username")
    )
    explicit = dict(StaffRank.objects.values_list("user_id", "rank"))
    counts = {
        measure: _counts(property, month, today, touchpoints, measure)
        for measure in {rules[r].measure for r in rules}
    }
    departments: dict[str, DepartmentResult] = {}
    labels = {code: str(label) for code, label in Department.choices}
    for profile in profiles:
        rank = rank_of(profile, explicit)
        if rank == Rank.EXEMPT:
            continue
        quota = rules[rank]
        total, per_day = counts[quota.measure]
        label = labels.get(profile.department, "—")
        person = _person(profile, rank, quota, total, per_day, days, month, today)
        person.department_label = label
        group = departments.setdefault(
            profile.department, DepartmentResult(profile.department, label)
        )
        group.people.append(person)
    return QuotaReport(
        month=month.replace(day=1),
        days=days,
        departments=list(departments.values()),
        rules=rules,
        touchpoints=touchpoints,
    )


def _person(
    profile: StaffProfile,
    rank: str,
    quota: Quota,
    total: dict[int, int],
    per_day: dict[int, dict[date, int]],
    days: int,
    month: date,
    today: date,
) -> PersonResult:
    user_id = profile.user_id
    daily = per_day.get(user_id, {})
    in_month = (today.year, today.month) == (month.year, month.month)
    if quota.period == Period.DAY:
        actual = sum(daily.values())
        required = quota.target * days
    else:
        actual = total.get(user_id, 0)
        required = quota.target
    return PersonResult(
        user=profile.user,
        department=profile.department,
        department_label="",
        rank=rank,
        quota=quota,
        actual=actual,
        required=required,
        days=days,
        days_met=sum(1 for n in daily.values() if n >= quota.target),
        today=daily.get(today, 0) if in_month else None,
    )
