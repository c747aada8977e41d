"""``dossier loans-remind``: remind borrowers and archivists of overdue loans, once each."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.core.properties import property_default
from dossier.records.loans import loans_overdue_remind


class Command(BaseCommand):
    help = "为逾期未还的借出原件生成催还提醒（借阅人与档案专管各一次），有邮箱的借阅人另发邮件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on", default="", help="按该日期（YYYY-MM-DD）计算逾期，默认今天"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options["on"].strip()
        if raw:
            try:
                on = date.fromisoformat(raw)
            except ValueError:
                raise CommandError(
                    f"--on 须为 YYYY-MM-DD 格式的日期，收到 {raw!r}"
                ) from None
        else:
            on = property_default().today()
        made = loans_overdue_remind(on=on)
        self.stdout.write(f"{on:%Y-%m-%d}：新生成催还提醒 {made} 条")
