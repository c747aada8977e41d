"""Which class a guest's spend and visits earn under a house's policy (pure)."""

from dataclasses import dataclass
from decimal import Decimal

from dossier.classes.models import ClassPolicy, CustomerClass


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


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


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
) -> tuple[str, str]:  # the class as its plain letter
    """``(class, reason)``: the class the figures earn and why, in staff's words."""
    figures = f"近 {rules.window_days} 天消费 {yuan(spend)}，{visits} 次"
    if spend >= rules.a_min_spend and visits >= rules.a_min_visits:
        return str(
            CustomerClass.A
        ), f"{figures}，达到 A 类下限 {yuan(rules.a_min_spend)}"
    if spend >= rules.b_min_spend:
        return str(
            CustomerClass.B
        ), f"{figures}，达到 B 类下限 {yuan(rules.b_min_spend)}"
    if rules.b_min_visits and visits >= rules.b_min_visits:
        return str(CustomerClass.B), f"{figures}，常客（至少 {rules.b_min_visits} 次）"
    if rules.company_is_b and has_company:
        return str(CustomerClass.B), f"{figures}，协议单位客人"
    return str(CustomerClass.C), f"{figures}，未达 B 类下限 {yuan(rules.b_min_spend)}"


CLASS_RANK: dict[str, int] = {"C": 0, "B": 1, "A": 2}
