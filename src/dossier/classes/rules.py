"""Which class a guest's spend and visits earn under a house's policy (pure)."""

from dataclasses import dataclass
from decimal import Decimal

from dossier.classes.models import ClassPolicy, CustomerClass
from dossier.classes.reasons import Earned


@dataclass(frozen=True)
class Rules:
    """A policy's thresholds as plain values, so that 100k guests are decided fast."""

    a_min_spend: Decimal
    b_min_spend: Decimal
    a_min_visits: int
    b_min_visits: int
    company_is_b: bool
    window_days: int

    @classmethod
    def of(cls, policy: ClassPolicy) -> "Rules":
        return cls(
            a_min_spend=policy.a_min_spend,
            b_min_spend=policy.b_min_spend,
            a_min_visits=policy.a_min_visits,
            b_min_visits=policy.b_min_visits,
            company_is_b=policy.company_is_b,
            window_days=policy.window_days,
        )


def class_of(rules: Rules, *, spend: Decimal, visits: int, has_company: bool) -> str:
    """The class the figures earn, without the wording (fast, for every guest)."""
    if spend >= rules.a_min_spend and visits >= rules.a_min_visits:
        return "A"
    if spend >= rules.b_min_spend or (
        rules.b_min_visits and visits >= rules.b_min_visits
    ):
        return "B"
    return "B" if rules.company_is_b and has_company else "C"


def class_earned(
    rules: Rules, *, spend: Decimal, visits: int, has_company: bool
) -> tuple[str, Earned]:
    """``(class, why)``: the class the figures earn (its plain letter) and why."""
    days = rules.window_days
    if spend >= rules.a_min_spend and visits >= rules.a_min_visits:
        why = Earned("a_spend", days, spend, visits, threshold=rules.a_min_spend)
        return str(CustomerClass.A), why
    if spend >= rules.b_min_spend:
        why = Earned("b_spend", days, spend, visits, threshold=rules.b_min_spend)
        return str(CustomerClass.B), why
    if rules.b_min_visits and visits >= rules.b_min_visits:
        why = Earned("b_visits", days, spend, visits, min_visits=rules.b_min_visits)
        return str(CustomerClass.B), why
    if rules.company_is_b and has_company:
        return str(CustomerClass.B), Earned("company", days, spend, visits)
    why = Earned("c", days, spend, visits, threshold=rules.b_min_spend)
    return str(CustomerClass.C), why


CLASS_RANK: dict[str, int] = {"C": 0, "B": 1, "A": 2}
