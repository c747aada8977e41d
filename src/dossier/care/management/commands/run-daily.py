"""``dossier run-daily``: reminders, revisits, campaigns and other daily jobs."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.care.daily import run_daily
from dossier.care.jobs import JOBS
from dossier.care.selectors import report_lines


class Command(BaseCommand):
    help = "运行每日作业（提醒、回访、营销活动），补跑停机错过的日子；可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="按这一天运行（YYYY-MM-DD），默认各门店当地的今天"
        )
        parser.add_argument("--property", help="只运行这个门店（门店代码）")
        parser.add_argument(
            "--window", type=int, help="补跑最近几天（默认 DOSSIER_CATCHUP_DAYS）"
        )
        parser.add_argument(
            "--job", action="append", help=f"只运行这些作业：{', '.join(JOBS)}"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["date"]) if options["date"] else None
        window = options["window"]
        if window is not None and not 0 <= window <= 31:
            raise CommandError(f"--window 应在 0 到 31 之间，收到 {window}")
        for name in options["job"] or []:
            if name not in JOBS:
                raise CommandError(f"未知的作业：{name}；可用：{', '.join(JOBS)}")
        runs = run_daily(
            today=today,
            window=window,
            property_code=options["property"],
            jobs=options["job"],
        )
        if options["property"] and not runs:
            raise CommandError(f"没有代码为 {options['property']} 的门店")
        for run in runs:
            self.stdout.write(
                f"{run.property.code} {run.today}: 新建任务 {run.created}，"
                f"发送 {run.sent}，跳过 {run.skipped}，错过 {run.missed}，"
                f"失败 {run.failed}"
            )
            for line in report_lines(run):
                days = f"{line.first}" + (
                    f" – {line.last}（{line.days} 天）" if line.days > 1 else ""
                )
                self.stdout.write(
                    f"  {days} {line.job}: {line.status_label}"
                    f"（新建 {line.created}，发送 {line.sent}）"
                    + (f" {line.error}" if line.error else "")
                )
        if any(run.failed for run in runs):
            raise CommandError("有作业失败，详见运行报告")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date 应为 YYYY-MM-DD，收到 {text}") from None
