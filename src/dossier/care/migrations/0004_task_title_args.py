"""A reminder's task keeps what its title is made of, so that the title can be worded
in the reader's language; tasks already made get it from their title."""

import re
from typing import Any

from django.db import migrations, models

_TITLES = {
    "special_date": re.compile(
        r"(?P<occasion>.+)（(?P<m>\d+)月(?P<d>\d+)日）：(?P<who>.+)", re.S
    ),
    "feedback": re.compile(
        r"离店回访（(?P<m>\d+)月(?P<d>\d+)日离店）：(?P<who>.+)", re.S
    ),
    "holiday": re.compile(
        r"(?P<occasion>.+)贺卡（(?P<m>\d+)月(?P<d>\d+)日）：(?P<who>.+)", re.S
    ),
    "revisit": re.compile(r"新晋 A 类客人回访：(?P<who>.+)", re.S),
}


def _parsed(kind: str, title: str, occurs_on: Any) -> dict[str, Any] | None:
    """What ``title`` is made of, or None when it is not a title the rule made."""
    pattern = _TITLES.get(kind)
    found = pattern.fullmatch(title) if pattern else None
    if found is None:
        return None
    names = pattern.groupindex
    if "m" in names and (
        occurs_on is None
        or (occurs_on.month, occurs_on.day) != (int(found["m"]), int(found["d"]))
    ):
        return None
    occasions = found["occasion"].split("、") if "occasion" in names else []
    return {"who": found["who"], "occasions": occasions}


def titles_parsed(apps: Any, schema_editor: Any) -> None:
    Task = apps.get_model("care", "Task")
    found = Task.objects.filter(kind__in=list(_TITLES)).order_by("pk")
    last = 0
    # By ranges of ids rather than one open cursor: SQLite does not isolate a cursor
    # from writes to the table it reads.
    while chunk := list(
        found.filter(pk__gt=last).only("pk", "kind", "title", "occurs_on")[:2000]
    ):
        last = chunk[-1].pk
        parsed = []
        for task in chunk:
            args = _parsed(task.kind, task.title, task.occurs_on)
            if args is not None:
                task.title_args = args
                parsed.append(task)
        Task.objects.bulk_update(parsed, ["title_args"])


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0003_reminders_jobs_campaigns"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="title_args",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(titles_parsed, migrations.RunPython.noop),
    ]
