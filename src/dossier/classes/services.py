"""Changing classes: the policy, recomputation from spend, pins and unpins.

Every change of a guest's class is a :class:`ClassChange` row and lands on
``Guest.guest_class``, the one column the card, the guest list, search filters and
exports read (see :mod:`dossier.classes.selectors`).
"""

import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.classes.errors import ClassError, ClassErrorCode
from dossier.classes.models import (
    ChangeKind,
    ClassChange,
    ClassPolicy,
    CustomerClass,
    GuestClass,
)
from dossier.classes.reasons import Earned
from dossier.classes.rules import CLASS_RANK, Rules, class_earned, class_of
from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.guests.models import Guest
from dossier.guests.selectors import not_merged
from dossier.history.models import SpendLine

logger = logging.getLogger(__name__)

BATCH = 2000
WINDOW_MIN, WINDOW_MAX = 30, 1096
REASON_MAX = 200
Actor = User | AnonymousUser | None


def policy_get(prop: Property) -> ClassPolicy:
    """The property's policy, created with the defaults on first use."""
    policy, _ = ClassPolicy.objects.get_or_create(property=prop)
    return policy


@dataclass(frozen=True)
class PolicyInput:
    a_min_spend: Decimal
    b_min_spend: Decimal
    a_min_visits: int = 0
    b_min_visits: int = 0
    company_is_b: bool = True
    window_days: int = 365


def _policy_problem(data: PolicyInput) -> tuple[str, str] | None:
    if data.b_min_spend <= 0:
        return "b_min_spend", _("B 类年消费下限应大于 0")
    if data.a_min_spend <= data.b_min_spend:
        return "a_min_spend", _("A 类年消费下限应高于 B 类下限")
    if not WINDOW_MIN <= data.window_days <= WINDOW_MAX:
        return "window_days", _(
            "统计天数应在 %(window_min)s 至 %(window_max)s 之间"
        ) % {"window_min": WINDOW_MIN, "window_max": WINDOW_MAX}
    if data.a_min_visits < 0 or data.b_min_visits < 0:
        return "a_min_visits", _("消费次数下限不能为负数")
    return None


@transaction.atomic
def policy_update(
    *, actor: Actor, property: Property, data: PolicyInput
) -> ClassPolicy:
    """Set the thresholds; they apply from the next recomputation."""
    problem = _policy_problem(data)
    if problem:
        raise ClassError(ClassErrorCode.INVALID_POLICY, problem[1], field=problem[0])
    policy = ClassPolicy.objects.select_for_update().get(pk=policy_get(property).pk)
    before = _policy_values(policy)
    for name, value in data.__dict__.items():
        setattr(policy, name, value)
    policy.updated_at = timezone.now()
    policy.updated_by = actor if isinstance(actor, User) else None
    policy.save()
    audit(
        actor=actor,
        action=AuditAction.CLASS_POLICY_CHANGED,
        obj=policy,
        before=before,
        after=_policy_values(policy),
    )
    return policy


def _policy_values(policy: ClassPolicy) -> dict[str, Any]:
    return {
        "a_min_spend": str(policy.a_min_spend),
        "b_min_spend": str(policy.b_min_spend),
        "a_min_visits": policy.a_min_visits,
        "b_min_visits": policy.b_min_visits,
        "company_is_b": policy.company_is_b,
        "window_days": policy.window_days,
    }


@dataclass
class RecomputeReport:
    """What a recomputation found and changed."""

    property_id: int
    on: date
    window_start: date
    guests: int = 0
    by_class: dict[str, int] = field(default_factory=dict)
    changed: int = 0
    upgraded: int = 0
    downgraded: int = 0
    pinned: int = 0
    seconds: float = 0.0


def spend_window(policy: ClassPolicy, on: date) -> tuple[date, date]:
    """The first and last day (inclusive) whose spend counts on ``on``."""
    return on - timedelta(days=policy.window_days - 1), on


def _spend_by_guest(
    prop: Property, start: date, end: date, guest_id: int | None = None
) -> dict[int, Any]:
    """Spend and visits per guest in [start, end], summed by the database."""
    lines = SpendLine.objects.filter(property=prop, date__gte=start, date__lte=end)
    if guest_id is not None:
        lines = lines.filter(guest_id=guest_id)
    rows = (
        lines.values("guest_id")
        .annotate(spend=Sum("revenue"), visits=Count("id"))
        .values_list("guest_id", "spend", "visits")
    )
    return {guest_id: (spend, visits) for guest_id, spend, visits in rows}


def spends_in_window(prop: Property, on: date) -> list[Decimal]:
    """Each guest's spend in the policy's window ending ``on``, largest first."""
    start, end = spend_window(policy_get(prop), on)
    spends = (spend for spend, _visits in _spend_by_guest(prop, start, end).values())
    return sorted(spends, reverse=True)


@dataclass
class _Decision:
    guest_id: int
    old: str
    new: str
    spend: Decimal
    visits: int
    pinned: bool
    has_company: bool
    stored: tuple[str, Decimal, int] | None


def _stored(prop: Property) -> dict[int, tuple[str, Decimal, int, bool]]:
    rows = GuestClass.objects.filter(guest__property=prop).values_list(
        "guest_id", "klass", "annual_spend", "visits", "pinned"
    )
    return {g: (k, s, v, p) for g, k, s, v, p in rows.iterator(chunk_size=BATCH)}


def _decide(prop: Property, rules: Rules, start: date, end: date) -> list[_Decision]:
    spend = _spend_by_guest(prop, start, end)
    stored = _stored(prop)
    guests = (
        Guest.objects.filter(property=prop)
        .filter(not_merged())
        .values_list("id", "guest_class", "company_id")
    )
    zero = (Decimal("0.00"), 0)
    decisions = []
    for guest_id, old, company_id in guests.iterator(chunk_size=BATCH):
        amount, visits = spend.get(guest_id, zero)
        row = stored.get(guest_id)
        pinned = bool(row and row[3])
        new = old if pinned else class_of(
            rules, spend=amount, visits=visits, has_company=company_id is not None
        )  # fmt: skip
        decisions.append(
            _Decision(guest_id, old, new, amount, visits, pinned,
                      company_id is not None, row[:3] if row else None)
        )  # fmt: skip
    return decisions


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _upsert_sql(count: int) -> str:
    """One ``INSERT … ON CONFLICT`` for ``count`` class rows (SQLite and PostgreSQL)."""
    meta = GuestClass._meta
    q = connection.ops.quote_name
    names = ["guest", "klass", "annual_spend", "visits", "computed_on", "pinned",
             "pin_reason"]  # fmt: skip
    column = {f.name: f.column for f in meta.concrete_fields}
    columns = [q(column[n]) for n in names]
    marks = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * count)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:5])
    return (
        f"INSERT INTO {q(meta.db_table)} ({', '.join(columns)}) VALUES {marks} "
        f"ON CONFLICT ({columns[0]}) DO UPDATE SET {updates}"
    )


def _write_classes(prop: Property, decisions: list[_Decision], on: date) -> None:
    """Write the class rows that are new or changed, a batch per statement; then
    date every row of the property in one update. A pinned row keeps its class."""
    money = GuestClass._meta.get_field("annual_spend")
    day = connection.ops.adapt_datefield_value(on)
    changed = [d for d in decisions if d.stored != (d.new, d.spend, d.visits)]
    with connection.cursor() as cursor:
        for chunk in _chunks(changed):
            cursor.execute(
                _upsert_sql(len(chunk)),
                [value for d in chunk for value in (
                    d.guest_id, d.new, money.get_prep_value(d.spend), d.visits, day,
                    d.pinned, "",
                )],
            )  # fmt: skip
    GuestClass.objects.filter(guest__property=prop).exclude(computed_on=on).update(
        computed_on=on
    )


def _write_changes(
    changed: list[_Decision], rules: Rules, on: date, actor: Actor
) -> None:
    by = actor if isinstance(actor, User) else None
    for new in CustomerClass.values:
        ids = [d.guest_id for d in changed if d.new == new]
        for chunk in _chunks(ids):
            Guest.objects.filter(pk__in=chunk).update(guest_class=new)
    meta = ClassChange._meta
    q = connection.ops.quote_name
    column = {f.name: q(f.column) for f in meta.concrete_fields}
    names = ["guest", "from_class", "to_class", "on", "kind", "reason",
             "reason_code", "reason_args", "by", "at"]  # fmt: skip
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    day = connection.ops.adapt_datefield_value(on)
    args_field = meta.get_field("reason_args")
    rows = []
    for d in changed:
        why = class_earned(rules, spend=d.spend, visits=d.visits,
                           has_company=d.has_company)[1]  # fmt: skip
        args = args_field.get_db_prep_save(why.args(), connection)
        rows.append((d.guest_id, d.old, d.new, day, ChangeKind.COMPUTED.value,
                     why.house_text(), why.code, args, by.pk if by else None, at))  # fmt: skip
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            marks = ", ".join([f"({', '.join(['%s'] * len(names))})"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {q(meta.db_table)} "
                f"({', '.join(column[n] for n in names)}) VALUES {marks}",
                [value for row in chunk for value in row],
            )


@transaction.atomic
def classes_recompute(
    *, property: Property, on: date | None = None, actor: Actor = None
) -> RecomputeReport:
    """Give every unpinned guest of ``property`` the class their spend earns on ``on``.

    Spend is summed per guest by the database; classes are then written in batches,
    so the work is a few queries per thousand guests. Running it twice on the same
    day changes nothing the second time.
    """
    began = time.monotonic()
    on = on or property.today()
    policy = ClassPolicy.objects.select_for_update().get(pk=policy_get(property).pk)
    start, end = spend_window(policy, on)

    rules = Rules.of(policy)
    decisions = _decide(property, rules, start, end)
    changed = [d for d in decisions if d.new != d.old]
    _write_classes(property, decisions, on)
    _write_changes(changed, rules, on, actor)

    policy.recomputed_on = on
    policy.save(update_fields=["recomputed_on"])
    report = RecomputeReport(
        property_id=property.pk,
        on=on,
        window_start=start,
        guests=len(decisions),
        by_class=dict(sorted(Counter(str(d.new) for d in decisions).items())),
        changed=len(changed),
        upgraded=sum(CLASS_RANK[d.new] > CLASS_RANK.get(d.old, 0) for d in changed),
        downgraded=sum(CLASS_RANK[d.new] < CLASS_RANK.get(d.old, 0) for d in changed),
        pinned=sum(d.pinned for d in decisions),
    )
    report.seconds = round(time.monotonic() - began, 3)
    audit(
        actor=actor,
        action=AuditAction.CLASSES_RECOMPUTED,
        obj=policy,
        on=on.isoformat(),
        guests=report.guests,
        by_class=report.by_class,
        changed=report.changed,
        pinned=report.pinned,
    )
    logger.info(
        "classes recomputed for property %s: %s guests, %s changed in %ss",
        property.pk,
        report.guests,
        report.changed,
        report.seconds,
        extra={"property_id": property.pk},
    )
    return report


def _reason_clean(reason: str) -> str:
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise ClassError(
            ClassErrorCode.REASON_REQUIRED, _("请填写原因"), field="reason"
        )
    if len(cleaned) > REASON_MAX:
        raise ClassError(
            ClassErrorCode.REASON_REQUIRED,
            _("原因最多 %(reason_max)s 个字，现有 %(len)s 个")
            % {"reason_max": REASON_MAX, "len": len(cleaned)},
            field="reason",
        )
    return cleaned


def _current(guest: Guest) -> GuestClass:
    row = GuestClass.objects.select_for_update().filter(guest=guest).first()
    return row or GuestClass(guest=guest, klass=guest.guest_class)


def _class_set(
    guest: Guest, row: GuestClass, *, new: str, kind: str, reason: str, actor: Actor,
    on: date, earned: Earned | None = None,
) -> None:  # fmt: skip
    by = actor if isinstance(actor, User) else None
    old = guest.guest_class
    row.klass = new
    row.save()
    Guest.objects.filter(pk=guest.pk).update(guest_class=new)
    guest.guest_class = new
    if earned is not None:
        code, args = earned.code, {**earned.args(), "note": reason}
        reason = f"{reason}；{earned.house_text()}"
    else:
        code, args = "", {}
    ClassChange.objects.create(
        guest=guest, from_class=old, to_class=new, on=on, kind=kind, reason=reason,
        reason_code=code, reason_args=args, by=by,
    )  # fmt: skip


@transaction.atomic
def class_pin(
    *, actor: Actor, guest: Guest, klass: str, reason: str, on: date | None = None
) -> GuestClass:
    """Fix ``guest``'s class whatever the spend; recomputation leaves it alone."""
    if klass not in CustomerClass.values:
        raise ClassError(
            ClassErrorCode.INVALID_CLASS,
            _("没有客户类别“%(klass)s”") % {"klass": klass},
            field="klass",
        )
    reason = _reason_clean(reason)
    on = on or guest.property.today()
    row = _current(guest)
    row.pinned, row.pin_reason = True, reason
    row.pinned_by = actor if isinstance(actor, User) else None
    _class_set(guest, row, new=klass, kind=ChangeKind.PINNED, reason=reason,
               actor=actor, on=on)  # fmt: skip
    audit(actor=actor, action=AuditAction.CLASS_PINNED, obj=guest, klass=klass,
          reason=reason)  # fmt: skip
    return row


@transaction.atomic
def class_unpin(
    *, actor: Actor, guest: Guest, reason: str, on: date | None = None
) -> GuestClass:
    """Release a pin: the guest at once gets the class the spend earns."""
    reason = _reason_clean(reason)
    row = _current(guest)
    if not row.pinned:
        raise ClassError(
            ClassErrorCode.NOT_PINNED, _("该客人的类别不是人工指定的"), field="klass"
        )
    prop = guest.property
    on = on or prop.today()
    policy = policy_get(prop)
    start, end = spend_window(policy, on)
    amount, visits = _spend_by_guest(prop, start, end, guest.pk).get(
        guest.pk, (Decimal("0.00"), 0)
    )
    new, earned = class_earned(
        Rules.of(policy), spend=amount, visits=visits,
        has_company=guest.company_id is not None,
    )  # fmt: skip
    row.pinned, row.pin_reason, row.pinned_by = False, "", None
    row.annual_spend, row.visits, row.computed_on = amount, visits, on
    _class_set(guest, row, new=new, kind=ChangeKind.UNPINNED, reason=reason,
               earned=earned, actor=actor, on=on)  # fmt: skip
    audit(actor=actor, action=AuditAction.CLASS_UNPINNED, obj=guest, klass=new,
          reason=reason)  # fmt: skip
    return row


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def classes_recompute_due(
    *, property: Property, on: date | None = None
) -> RecomputeReport | None:
    """The quarterly recomputation, for a daily job: recompute when the classes were
    last computed before this quarter began, otherwise do nothing (``None``)."""
    on = on or property.today()
    last = policy_get(property).recomputed_on
    if last is not None and last >= quarter_start(on):
        return None
    return classes_recompute(property=property, on=on)
