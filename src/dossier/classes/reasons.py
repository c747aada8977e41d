"""Why a guest's figures earn a class, kept as a code and its numbers and worded in
the reader's language when shown: 近 365 天消费 ¥52,000.00，3 次，达到 A 类下限
¥50,000.00 in Chinese, "¥52,000.00 spent in the last 365 days, 3 visits, reaching
the A-class minimum of ¥50,000.00" in English."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop, ngettext

from dossier.core.punctuation import punctuation

# What the figures reached, by code; each is worded with the numbers in ``args``.
OUTCOMES = {
    "a_spend": gettext_noop("达到 A 类下限 %(threshold)s"),
    "b_spend": gettext_noop("达到 B 类下限 %(threshold)s"),
    "b_visits": gettext_noop("常客（至少 %(min_visits)s 次）"),
    "company": gettext_noop("协议单位客人"),
    "c": gettext_noop("未达 B 类下限 %(threshold)s"),
}


def yuan(amount: Decimal | str) -> str:
    return f"¥{Decimal(amount):,.2f}"


@dataclass(frozen=True)
class Earned:
    """The code of what the figures reached, and the numbers that word it."""

    code: str
    days: int
    spend: Decimal
    visits: int
    threshold: Decimal | None = None
    min_visits: int | None = None

    def args(self) -> dict[str, Any]:
        """The numbers as stored beside the change (JSON)."""
        stored: dict[str, Any] = {
            "days": self.days,
            "spend": str(self.spend),
            "visits": self.visits,
        }
        if self.threshold is not None:
            stored["threshold"] = str(self.threshold)
        if self.min_visits is not None:
            stored["min_visits"] = self.min_visits
        return stored

    def text(self) -> str:
        """The reason in the active language."""
        return reason_text(self.code, self.args())

    def house_text(self) -> str:
        """The reason in the house's language, as the change's text column keeps it."""
        with translation.override(settings.LANGUAGE_CODE):
            return self.text()


def reason_text(code: str, args: Mapping[str, Any], note: str = "") -> str:
    """A stored reason worded in the active language; ``note`` (what staff typed when
    they ended a pin) comes first."""
    visits = int(args["visits"])
    figures = ngettext(
        "近 %(days)s 天消费 %(spend)s，%(visits)s 次",
        "近 %(days)s 天消费 %(spend)s，%(visits)s 次",
        visits,
    ) % {"days": args["days"], "spend": yuan(args["spend"]), "visits": visits}
    values = {
        "threshold": yuan(args.get("threshold", "0")),
        "min_visits": args.get("min_visits", 0),
    }
    earned = figures + punctuation("，") + gettext(OUTCOMES[code]) % values
    return note + punctuation("；") + earned if note else earned


def reason_known(code: str) -> bool:
    return code in OUTCOMES
