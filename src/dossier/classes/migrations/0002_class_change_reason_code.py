"""A class change's reason is kept as a code and its numbers too, so that it can be
worded in the reader's language; changes already made get theirs from their text."""

import re
from decimal import Decimal
from typing import Any

from django.db import migrations, models

_FIGURES = re.compile(
    r"^(?:(?P<note>.*)；)?近 (?P<days>\d+) 天消费 ¥(?P<spend>[\d,]+\.\d\d)，"
    r"(?P<visits>\d+) 次，(?P<outcome>.+)$",
    re.S,
)
_OUTCOMES = [
    ("a_spend", re.compile(r"达到 A 类下限 ¥(?P<threshold>[\d,]+\.\d\d)")),
    ("b_spend", re.compile(r"达到 B 类下限 ¥(?P<threshold>[\d,]+\.\d\d)")),
    ("b_visits", re.compile(r"常客（至少 (?P<min_visits>\d+) 次）")),
    ("company", re.compile(r"协议单位客人")),
    ("c", re.compile(r"未达 B 类下限 ¥(?P<threshold>[\d,]+\.\d\d)")),
]


def _parsed(reason: str) -> tuple[str, dict[str, Any]] | None:
    """The code and numbers of a reason the figures gave, or None for typed text."""
    figures = _FIGURES.match(reason)
    if figures is None:
        return None
    for code, pattern in _OUTCOMES:
        outcome = pattern.fullmatch(figures["outcome"])
        if outcome is None:
            continue
        args: dict[str, Any] = {
            "days": int(figures["days"]),
            "spend": str(Decimal(figures["spend"].replace(",", ""))),
            "visits": int(figures["visits"]),
        }
        if "threshold" in pattern.groupindex:
            args["threshold"] = str(Decimal(outcome["threshold"].replace(",", "")))
        if "min_visits" in pattern.groupindex:
            args["min_visits"] = int(outcome["min_visits"])
        if figures["note"] is not None:
            args["note"] = figures["note"]
        return code, args
    return None


def reasons_coded(apps: Any, schema_editor: Any) -> None:
    ClassChange = apps.get_model("classes", "ClassChange")
    found = ClassChange.objects.filter(
        reason_code="", kind__in=["computed", "unpinned"]
    ).order_by("pk")
    last = 0
    # By ranges of ids rather than one open cursor: SQLite does not isolate a cursor
    # from writes to the table it reads.
    while chunk := list(found.filter(pk__gt=last).only("pk", "reason")[:2000]):
        last = chunk[-1].pk
        coded = []
        for change in chunk:
            parsed = _parsed(change.reason)
            if parsed is not None:
                change.reason_code, change.reason_args = parsed
                coded.append(change)
        ClassChange.objects.bulk_update(coded, ["reason_code", "reason_args"])


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="classchange",
            name="reason_args",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="classchange",
            name="reason_code",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.RunPython(reasons_coded, migrations.RunPython.noop),
    ]
