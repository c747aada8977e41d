"""``dossier records-demo``: the demo document archive on its own, from the shipped sample."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.core.properties import property_default
from dossier.records.demo import SAMPLE, records_demo


class Command(BaseCommand):
    help = (
        "载入示例文书档案：已发布的企业档案分类方案样本（党群管理类）、保管期限预设、"
        "跨年度的案件、借出、保全与销毁清册"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sample",
            type=Path,
            default=SAMPLE,
            help="分类方案 CSV（默认为随软件发布的样本）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sample: Path = options["sample"]
        if not sample.is_file():
            raise CommandError(f"找不到分类方案文件：{sample}")
        report = records_demo(prop=property_default(), sample=sample)
        self.stdout.write(report.summary())
