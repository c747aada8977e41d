"""``dossier records-demo``: a demo document archive from the published scheme sample."""

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.core.properties import property_default
from dossier.records.demo import records_demo

DEFAULT_SAMPLE = Path(
    "/work/shared/data/archives/enterprise_classification_scheme_sample_A.csv"
)


class Command(BaseCommand):
    help = "载入示例文书档案：已发布的企业档案分类方案样本、保管期限预设和几件案件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
        parser.add_argument("--user", default="", help="以该用户名归档示例案件")

    def handle(self, *args: Any, **options: Any) -> None:
        sample: Path = options["sample"]
        if not sample.exists():
            raise CommandError(f"找不到分类方案文件：{sample}")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"没有用户 {options['user']}")
        version = records_demo(actor=actor, prop=property_default(), sample=sample)
        self.stdout.write(f"{version}：{version.classes.count()} 个类别")
