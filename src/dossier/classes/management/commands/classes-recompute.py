"""``dossier classes-recompute``: give every unpinned guest the class their spend earns."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.classes.services import classes_recompute, classes_recompute_due
from dossier.core.models import Property
from dossier.core.properties import property_default


class Command(BaseCommand):
    help = "按统计期消费重算 A/B/C 客户分级（人工指定的不变），每季度运行一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--property", default="", help="property code")
        parser.add_argument("--on", default="", help="day of computation, YYYY-MM-DD")
        parser.add_argument(
            "--quarterly",
            action="store_true",
            help="only if not yet computed this quarter (for a daily job)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["property"]
        prop = (
            Property.objects.filter(code=code).first() if code else property_default()
        )
        if prop is None:
            raise CommandError(f"没有代码为 {code} 的门店")
        try:
            on = date.fromisoformat(options["on"]) if options["on"] else None
        except ValueError:
            raise CommandError(
                f"--on 应为 YYYY-MM-DD 格式的日期：{options['on']}"
            ) from None
        if options["quarterly"]:
            due = classes_recompute_due(property=prop, on=on)
            if due is None:
                self.stdout.write(f"{prop.name}：本季度已重算，未重复运行")
                return
            report = due
        else:
            report = classes_recompute(property=prop, on=on)
        counts = "，".join(f"{k} 类 {n}" for k, n in report.by_class.items())
        self.stdout.write(
            f"{prop.name} {report.on}（统计自 {report.window_start}）：{report.guests} 位客人，"
            f"{counts}；变动 {report.changed}（升级 {report.upgraded}，降级 "
            f"{report.downgraded}），人工指定 {report.pinned}；用时 {report.seconds:.2f} 秒"
        )
