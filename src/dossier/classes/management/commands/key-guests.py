"""``dossier key-guests``: the month's key-guest list for the marketing and F&B meeting."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.classes.errors import ClassError
from dossier.classes.keyguests import (
    NOT_SEEN_DAYS,
    NOT_SEEN_DAYS_MAX,
    key_guest_list,
    month_parse,
)
from dossier.core.models import Property
from dossier.core.properties import property_default

TITLES = {
    "new_a": "新晋 A 类客户",
    "not_seen": "久未到店的 A 类客户",
    "dates": "本月纪念日（A、B 类）",
}


class Command(BaseCommand):
    help = "列出某月的重点客户：新晋 A 类、久未到店的 A 类、本月纪念日。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", default="", help="YYYY-MM (default: this month)")
        parser.add_argument("--days", type=int, default=NOT_SEEN_DAYS,
                            help="A clients not seen for this many days")  # fmt: skip
        parser.add_argument("--property", default="", help="property code")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["property"]
        prop = (
            Property.objects.filter(code=code).first() if code else property_default()
        )
        if prop is None:
            raise CommandError(f"没有代码为 {code} 的门店")
        if not 1 <= options["days"] <= NOT_SEEN_DAYS_MAX:
            raise CommandError(f"--days 应在 1 至 {NOT_SEEN_DAYS_MAX} 之间")
        try:
            month = month_parse(options["month"], today=prop.today())
        except ClassError as error:
            raise CommandError(error.message) from None
        lists = key_guest_list(prop, month, options["days"])
        self.stdout.write(f"{prop.name} {month:%Y-%m} 重点客户")
        for key, title in TITLES.items():
            self.stdout.write(f"{title}：{len(lists[key])} 位")
            for item in lists[key]:
                when = f" {item.when}" if item.when else ""
                seen = f"，最近到店 {item.last_visit}" if item.last_visit else ""
                self.stdout.write(
                    f"  #{item.guest.pk} {item.guest.full_name}"
                    f"（{item.guest.guest_class}）{item.reason}{when}{seen}"
                )
