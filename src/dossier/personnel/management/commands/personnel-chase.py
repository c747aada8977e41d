"""``dossier personnel-chase``: one reminder per sign-out whose receipt is overdue."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.core.properties import property_default
from dossier.personnel.services import personnel_receipts_chase


class Command(BaseCommand):
    help = "为回执逾期的提档各建一条催办（重复运行不会重复建立）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on", default="", help="按该日期（YYYY-MM-DD）判断逾期，默认今天"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw: str = options["on"]
        if raw:
            try:
                on = date.fromisoformat(raw)
            except ValueError:
                raise CommandError(f"--on 日期格式应为 YYYY-MM-DD：{raw}") from None
        else:
            on = property_default().today()
        created = personnel_receipts_chase(on=on)
        self.stdout.write(f"{on:%Y-%m-%d}：新建回执催办 {created} 条")
