"""A/B/C classes of the demo property, set the way a house would set them.

The default thresholds (¥50,000 and ¥10,000 a year) suit a city hotel's corporate
guests; the demo resort's guests spend less, so the demo sets A at the spend of its top
1 % of guests and B at the top 10 %, and computes every class once, so that the first
daily run finds this quarter already done.
"""

from decimal import ROUND_DOWN, Decimal

from dossier.classes.services import (
    PolicyInput,
    RecomputeReport,
    classes_recompute,
    policy_update,
    spends_in_window,
)
from dossier.core.models import Property

HUNDRED = Decimal(100)


def _floor(amount: Decimal) -> Decimal:
    return (amount / HUNDRED).to_integral_value(rounding=ROUND_DOWN) * HUNDRED


def demo_classes(prop: Property) -> RecomputeReport:
    today = prop.today()
    spends = spends_in_window(prop, today)
    if len(spends) >= 100:
        a_min = _floor(spends[len(spends) // 100])
        b_min = _floor(spends[len(spends) // 10])
        if b_min > 0 and a_min > b_min:
            policy_update(
                actor=None,
                property=prop,
                data=PolicyInput(a_min_spend=a_min, b_min_spend=b_min),
            )
    return classes_recompute(property=prop, on=today, actor=None)
