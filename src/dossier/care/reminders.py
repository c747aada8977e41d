"""What each reminder rule asks for on a day, and doing it once.

``rule_run`` turns the guests a rule selects for a day into tasks (one per rule, guest
and date, kept once by ``ReminderOccurrence``'s unique constraint) and, where the rule
has a channel and the guest agreed, a message sent after the transaction commits.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from dossier.care.models import (
    ReminderChannel,
    ReminderKind,
    ReminderOccurrence,
    ReminderRule,
    Task,
)
from dossier.care.services import consent_states
from dossier.care.templating import template_render
from dossier.care.titles import house_title, title_args
from dossier.classes.models import ClassChange
from dossier.guests.dates import next_occurrence
from dossier.guests.models import (
    CalendarKind,
    Guest,
    SpecialDate,
    SpecialDateKind,
)
from dossier.guests.selectors import guest_honorific, guests_current
from dossier.history.models import Stay
from dossier.messaging.errors import MessageError
from dossier.messaging.models import Purpose
from dossier.messaging.services import message_send
from dossier.zh.holidays import HolidayDataMissing, holiday_name
from dossier.zh.lunar import solar_to_lunar

logger = logging.getLogger(__name__)

SKIPS_KEPT = 200


class RuleSkipped(Exception):
    """A rule has nothing to do on a day for a reason staff should read."""


@dataclass(frozen=True)
class Due:
    """One guest a rule is for on a day, with the date it is about."""

    guest: Guest
    occurs_on: date
    label: str
    # The occasions the label names, each as kept (生日, a typed 结婚纪念日, 春节).
    occasions: tuple[str, ...] = ()


@dataclass
class Outcome:
    """What a job did for a day: tasks created, messages queued, what was skipped."""

    created: int = 0
    sent: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    skipped_count: int = 0

    def skip(self, reason: str, *, rule: str = "", guest: Guest | None = None) -> None:
        self.skipped_count += 1
        if len(self.skipped) < SKIPS_KEPT:
            self.skipped.append(
                {
                    "rule": rule,
                    "guest_id": str(guest.pk) if guest else "",
                    "guest": guest.full_name if guest else "",
                    "reason": reason,
                }
            )

    def add(self, other: "Outcome") -> None:
        self.created += other.created
        self.sent += other.sent
        self.skipped_count += other.skipped_count
        self.skipped.extend(other.skipped[: SKIPS_KEPT - len(self.skipped)])


def rule_guests(rule: ReminderRule) -> QuerySet[Guest]:
    """The property's guests in the rule's classes, never blacklisted ones nor
    profiles merged into another (their master is reminded)."""
    classes = list(rule.classes)
    guests = guests_current().filter(property_id=rule.property_id, blacklisted=False)
    return guests.filter(Q(guest_class__in=classes))


def _date_kinds(rule: ReminderRule) -> list[str]:
    return [k for k in rule.date_kinds.split(",") if k] or list(SpecialDateKind.values)


def special_dates_on(rule: ReminderRule, target: date) -> list[Due]:
    """Guests with a special date of the rule's kinds celebrated on ``target``.

    The birth date of a profile counts as a solar birthday when the profile has no
    birthday among its special dates.
    """
    kinds = _date_kinds(rule)
    guests = rule_guests(rule)
    solar = Q(calendar=CalendarKind.SOLAR, month=target.month, day=target.day)
    if target.month == 2 and target.day == 28:
        solar |= Q(calendar=CalendarKind.SOLAR, month=2, day=29)
    lunar_month = solar_to_lunar(target)[1]
    candidates = (
        SpecialDate.objects.filter(
            solar | Q(calendar=CalendarKind.LUNAR, month=lunar_month),
            guest__in=guests,
            kind__in=kinds,
        )
        .select_related("guest", "guest__property")
        .prefetch_related("guest__phones")
    )
    labels: dict[int, list[str]] = defaultdict(list)
    by_id: dict[int, Guest] = {}
    for special in candidates:
        if next_occurrence(special, target) == target:
            labels[special.guest_id].append(special.label or special.get_kind_display())
            by_id[special.guest_id] = special.guest
    if SpecialDateKind.BIRTHDAY in kinds:
        for guest in _born_on(guests, target):
            if guest.pk not in by_id:
                labels[guest.pk].append(str(SpecialDateKind.BIRTHDAY.label))
                by_id[guest.pk] = guest
    return [
        Due(
            guest=by_id[pk],
            occurs_on=target,
            label="、".join(dict.fromkeys(labels[pk])),
            occasions=tuple(dict.fromkeys(labels[pk])),
        )
        for pk in sorted(by_id)
    ]


def _born_on(guests: QuerySet[Guest], target: date) -> Iterable[Guest]:
    days = [target.day]
    if target.month == 2 and target.day == 28:
        days.append(29)
    born = guests.filter(
        birth_date__month=target.month, birth_date__day__in=days
    ).exclude(special_dates__kind=SpecialDateKind.BIRTHDAY)
    for guest in born.select_related("property").prefetch_related("phones"):
        assert guest.birth_date is not None
        special = SpecialDate(
            kind=SpecialDateKind.BIRTHDAY,
            month=guest.birth_date.month,
            day=guest.birth_date.day,
        )
        if next_occurrence(special, target) == target:
            yield guest


def departures_on(rule: ReminderRule, departed: date) -> list[Due]:
    """Guests who checked out on ``departed``, once each."""
    stays = (
        Stay.objects.filter(
            property_id=rule.property_id,
            departure=departed,
            status="checked_out",
            guest__in=rule_guests(rule),
        )
        .select_related("guest", "guest__property")
        .prefetch_related("guest__phones")
        .order_by("guest_id")
    )
    found = {stay.guest_id: stay.guest for stay in stays}
    return [Due(guest=g, occurs_on=departed, label="离店") for g in found.values()]


def holiday_starting(target: date) -> str | None:
    """The public holiday whose days off start on ``target``, if any."""
    name = holiday_name(target)
    if name is None or holiday_name(target - timedelta(days=1)) == name:
        return None
    return name


def holiday_guests(rule: ReminderRule, target: date) -> list[Due]:
    try:
        name = holiday_starting(target)
    except HolidayDataMissing:
        raise RuleSkipped(f"没有 {target.year} 年的放假安排，无法判断节日") from None
    if name is None:
        return []
    guests = (
        rule_guests(rule)
        .select_related("property")
        .prefetch_related("phones")
        .order_by("pk")
    )
    return [
        Due(guest=g, occurs_on=target, label=name, occasions=(name,)) for g in guests
    ]


def new_a_clients(rule: ReminderRule, first_of_month: date) -> list[Due]:
    """Guests who became A during the month before ``first_of_month`` and still are."""
    start = (first_of_month - timedelta(days=1)).replace(day=1)
    changes = (
        ClassChange.objects.filter(
            to_class="A",
            on__gte=start,
            on__lt=first_of_month,
            guest__property_id=rule.property_id,
            guest__guest_class="A",
            guest__blacklisted=False,
        )
        .select_related("guest", "guest__property")
        .prefetch_related("guest__phones")
    )
    found = {change.guest_id: change.guest for change in changes.order_by("guest_id")}
    return [Due(guest=g, occurs_on=start, label="新晋 A 类") for g in found.values()]


def _task_due(rule: ReminderRule, item: Due, day: date) -> date:
    if rule.kind == ReminderKind.SPECIAL_DATE:
        return item.occurs_on
    if rule.kind == ReminderKind.HOLIDAY:
        return max(day, item.occurs_on - timedelta(days=1))
    if rule.kind == ReminderKind.REVISIT:
        return day + timedelta(days=rule.days)
    return day


def _title_args(item: Due) -> dict[str, Any]:
    # How staff address the guest in the house's language, whoever ran the job.
    with translation.override(settings.LANGUAGE_CODE):
        who = guest_honorific(item.guest, item.guest.property)
    return title_args(who=who, occasions=item.occasions)


def _values(rule: ReminderRule, item: Due) -> dict[str, str]:
    return {
        "称呼": guest_honorific(item.guest, item.guest.property),
        "姓名": item.guest.full_name,
        "日期": f"{item.occurs_on.month}月{item.occurs_on.day}日",
        "纪念日": item.label,
        "节日": item.label,
        "礼品": rule.gift_text,
        "门店": item.guest.property.name,
    }


def _task_create(rule: ReminderRule, item: Due, day: date, outcome: Outcome) -> None:
    """The task for ``item``, unless a run before (or beside) this one made it."""
    try:
        with transaction.atomic():
            occurrence = ReminderOccurrence.objects.create(
                rule=rule, guest=item.guest, occurs_on=item.occurs_on
            )
            text = template_render(rule.template, _values(rule, item))
            detail = "\n".join(part for part in (rule.gift_text, text) if part)
            args = _title_args(item)
            occurrence.task = Task.objects.create(
                guest=item.guest,
                title=house_title(rule.kind, args, item.occurs_on)[:200],
                title_args=args,
                owner=rule.owner,
                department=rule.owner_department,
                due=_task_due(rule, item, day),
                kind=rule.kind,
                rule=rule,
                occurs_on=item.occurs_on,
                detail=detail,
            )
            occurrence.save(update_fields=["task"])
    except IntegrityError:
        outcome.skip(gettext_noop("已提醒过"), rule=rule.name, guest=item.guest)
        return
    outcome.created += 1


def greeting_refusal(guest: Guest, channel: str) -> str | None:
    """Why ``guest`` gets no greeting on ``channel``; None when it may go.

    A greeting needs the guest's yes for the channel (for service or marketing); any
    opt-out on the channel wins over a yes.
    """
    if channel == ReminderChannel.SMS and not guest_mobile(guest):
        return gettext_noop("没有手机号码")
    if channel == ReminderChannel.EMAIL and not guest.email:
        return gettext_noop("没有电子邮件地址")
    states = consent_states(guest)
    answers = [states.get((channel, p)) for p in (Purpose.SERVICE, Purpose.MARKETING)]
    if False in answers:
        return gettext_noop("客人已退订")
    if True not in answers:
        return gettext_noop("客人未同意接收此渠道的消息")
    return None


def guest_mobile(guest: Guest) -> str:
    phones = sorted(
        (p for p in guest.phones.all() if p.kind == "mobile"),
        key=lambda p: (not p.is_primary, p.pk),
    )
    return phones[0].e164 if phones else ""


def _greet(rule: ReminderRule, item: Due, outcome: Outcome) -> None:
    refusal = greeting_refusal(item.guest, rule.channel)
    if refusal is not None:
        outcome.skip(refusal, rule=rule.name, guest=item.guest)
        return
    occurrence, _ = ReminderOccurrence.objects.get_or_create(
        rule=rule, guest=item.guest, occurs_on=item.occurs_on
    )
    claimed = ReminderOccurrence.objects.filter(
        pk=occurrence.pk, greeted_at__isnull=True
    ).update(greeted_at=timezone.now())
    if not claimed:
        outcome.skip("问候已发送", rule=rule.name, guest=item.guest)
        return
    to = guest_mobile(item.guest) if rule.channel == "sms" else item.guest.email
    try:
        message_send(
            channel=rule.channel,
            to=to,
            body=template_render(rule.template, _values(rule, item)),
            subject=rule.subject or rule.name,
            purpose=Purpose.SERVICE,
            idempotency_key=f"care:{rule.pk}:{item.guest.pk}:{item.occurs_on}",
            guest=item.guest,
        )
    except MessageError as error:
        outcome.skip(error.message, rule=rule.name, guest=item.guest)
        return
    outcome.sent += 1


def _due_for_tasks(rule: ReminderRule, day: date) -> list[Due]:
    if rule.kind == ReminderKind.SPECIAL_DATE:
        return special_dates_on(rule, day + timedelta(days=rule.days))
    if rule.kind == ReminderKind.FEEDBACK:
        return departures_on(rule, day - timedelta(days=rule.days))
    if rule.kind == ReminderKind.HOLIDAY:
        return holiday_guests(rule, day + timedelta(days=rule.days))
    return new_a_clients(rule, day) if day.day == 1 else []


def rule_run(rule: ReminderRule, *, day: date, today: date) -> Outcome:
    """Do what ``rule`` asks for on ``day`` (``today`` or a day being caught up)."""
    outcome = Outcome()
    try:
        items = _due_for_tasks(rule, day)
    except RuleSkipped as skipped:
        outcome.skip(str(skipped), rule=rule.name)
        return outcome
    for item in items:
        _task_create(rule, item, day, outcome)
    if rule.channel == ReminderChannel.TASK:
        return outcome

    # Greetings for a date or a holiday go on the day itself, the task days before.
    on_the_day = rule.kind in (ReminderKind.SPECIAL_DATE, ReminderKind.HOLIDAY)
    if on_the_day and rule.days:
        try:
            items = (
                special_dates_on(rule, day)
                if rule.kind == ReminderKind.SPECIAL_DATE
                else holiday_guests(rule, day)
            )
        except RuleSkipped as skipped:
            outcome.skip(str(skipped), rule=rule.name)
            return outcome
    for item in items:
        if on_the_day and item.occurs_on < today:
            outcome.skip(
                gettext_noop("补跑：日子已过，不再发送问候"),
                rule=rule.name,
                guest=item.guest,
            )
            continue
        _greet(rule, item, outcome)
    return outcome
