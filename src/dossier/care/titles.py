"""The title of a task a reminder rule made, worded in the reader's language.

The task keeps its title in the house's language, and beside it what the title is made
of (the occasions and how staff address the guest); the date is the task's own. A
reader in English gets "Birthday (February 28): 林女士" where the house reads
"生日（2月28日）：林女士". Occasions typed by staff stay as they were typed.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, gettext_noop

from dossier.core.punctuation import punctuation

# By the kind of the rule that made the task.
TITLES = {
    "special_date": gettext_noop("%(occasion)s（%(date)s）：%(who)s"),
    "feedback": gettext_noop("离店回访（%(date)s离店）：%(who)s"),
    "holiday": gettext_noop("%(occasion)s贺卡（%(date)s）：%(who)s"),
    "revisit": gettext_noop("新晋 A 类客人回访：%(who)s"),
}
# The names of public holidays as ``zh.holidays`` gives them, for the catalogue.
HOLIDAY_NAMES = (
    gettext_noop("元旦"),
    gettext_noop("春节"),
    gettext_noop("清明节"),
    gettext_noop("劳动节"),
    gettext_noop("端午节"),
    gettext_noop("国庆节"),
    gettext_noop("中秋节"),
    gettext_noop("抗日战争暨世界反法西斯战争胜利70周年纪念日"),
)


def month_day(day: date) -> str:
    """2月28日 in Chinese, February 28 in English."""
    if (get_language() or "").startswith("en"):
        return date_format(day, "MONTH_DAY_FORMAT")
    return f"{day.month}月{day.day}日"


def title_args(*, who: str, occasions: tuple[str, ...] = ()) -> dict[str, Any]:
    """What a title is made of, as the task keeps it (JSON)."""
    return {"who": who, "occasions": list(occasions)}


def title_known(kind: str, args: Mapping[str, Any]) -> bool:
    return kind in TITLES and bool(args.get("who"))


def task_title(kind: str, args: Mapping[str, Any], on: date | None) -> str:
    """The title in the active language; each occasion is translated when it is a
    name the catalogue knows (生日, 春节), else shown as typed."""
    occasions = [gettext(str(o)) for o in args.get("occasions", []) if o]
    return gettext(TITLES[kind]) % {
        "occasion": punctuation("、").join(occasions),
        "date": month_day(on) if on else "",
        "who": args["who"],
    }


def house_title(kind: str, args: Mapping[str, Any], on: date | None) -> str:
    """The title in the house's language, as the task's title column keeps it."""
    with translation.override(settings.LANGUAGE_CODE):
        return task_title(kind, args, on)
