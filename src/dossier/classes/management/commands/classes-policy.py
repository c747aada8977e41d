"""``dossier classes-policy``: show or set the A/B/C thresholds of a property."""

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.classes.errors import ClassError
from dossier.classes.services import PolicyInput, policy_get, policy_update
from dossier.core.models import Property
from dossier.core.properties import property_default

DEFAULTS = PolicyInput(a_min_spend=Decimal("50000.00"), b_min_spend=Decimal("10000.00"))

SETTABLE = ("a_min_spend", "b_min_spend", "a_min_visits", "b_min_visits", "window_days")

SETTABLE = ("a_min_spend", "b_min_spend", "a_min_visits", "b_min_visits", "window_days")


def _money(raw: str) -> Decimal:
    try:
        return Decimal(raw).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise CommandError(f"金额应为数字：{raw}") from None


class Command(BaseCommand):
    help = "查看或设置 A/B/C 客户分级规则（下次重算时生效）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--property", default="", help="property code")
        parser.add_argument(
            "--defaults", action="store_true", help="back to ¥50,000 / ¥10,000"
        )
        parser.add_argument("--a-min-spend", type=_money, help="yuan, e.g. 50000")
        parser.add_argument("--b-min-spend", type=_money, help="yuan, e.g. 10000")
        parser.add_argument("--a-min-visits", type=int)
        parser.add_argument("--b-min-visits", type=int)
        parser.add_argument("--company-is-b", choices=["yes", "no"])
        parser.add_argument("--window-days", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["property"]
        prop = (
            Property.objects.filter(code=code).first() if code else property_default()
        )
        if prop is None:
            raise CommandError(f"没有代码为 {code} 的门店")
        current = policy_get(prop)
        data = DEFAULTS if options["defaults"] else PolicyInput(
            a_min_spend=current.a_min_spend, b_min_spend=current.b_min_spend,
            a_min_visits=current.a_min_visits, b_min_visits=current.b_min_visits,
            company_is_b=current.company_is_b, window_days=current.window_days,
        )  # fmt: skip
        changes = {
            name: options[name] for name in SETTABLE if options[name] is not None
        }
        if options["company_is_b"]:
            changes["company_is_b"] = options["company_is_b"] == "yes"
        if options["defaults"] or changes:
            try:
                current = policy_update(
                    actor=None, property=prop, data=replace(data, **changes)
                )
            except ClassError as error:
                raise CommandError(error.message) from None
        self.stdout.write(
            f"{prop.name}：A 类 ≥ ¥{current.a_min_spend}"
            f"（次数 ≥ {current.a_min_visits}），B 类 ≥ ¥{current.b_min_spend}"
            f"（或次数 ≥ {current.b_min_visits}），协议单位客人至少 B 类："
            f"{'是' if current.company_is_b else '否'}，统计 {current.window_days} 天"
        )
