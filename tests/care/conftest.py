"""Helpers of the care tests: a rule set to a kind, days and channel."""

from dataclasses import replace
from datetime import date, timedelta

from dossier.care.daily import run_daily
from dossier.care.models import DailyRun, ReminderRule
from dossier.care.rules import RuleInput, rule_save, rules_ensure
from dossier.core.models import Property


def rule_set(prop: Property, name: str, **changes: object) -> ReminderRule:
    """The default rule ``name`` of ``prop``, changed as given."""
    rules_ensure(prop)
    rule = ReminderRule.objects.get(property=prop, name=name)
    data = RuleInput(
        name=rule.name,
        kind=rule.kind,
        days=rule.days,
        classes=rule.classes,
        channel=rule.channel,
        template=rule.template,
        subject=rule.subject,
        gift_text=rule.gift_text,
        date_kinds=rule.date_kinds,
        owner_department=rule.owner_department,
        owner=rule.owner,
        active=rule.active,
    )
    return rule_save(actor=None, prop=prop, data=replace(data, **changes), rule=rule)  # type: ignore[arg-type]


def only_rule(prop: Property, name: str, **changes: object) -> ReminderRule:
    """Rule ``name`` changed as given; every other rule of ``prop`` switched off."""
    rule = rule_set(prop, name, active=True, **changes)
    ReminderRule.objects.filter(property=prop).exclude(pk=rule.pk).update(active=False)
    return rule


def run_days(first: date, last: date, **options: object) -> list[DailyRun]:
    runs: list[DailyRun] = []
    day = first
    while day <= last:
        runs.extend(run_daily(today=day, **options))  # type: ignore[arg-type]
        day += timedelta(days=1)
    return runs
