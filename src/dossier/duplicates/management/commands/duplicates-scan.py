"""``dossier duplicates-scan``: look through a property for likely duplicate profiles."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.core.models import Property
from dossier.core.properties import property_default
from dossier.duplicates.blocking import BLOCK_CAP
from dossier.duplicates.services import BATCH, duplicates_scan


class Command(BaseCommand):
    help = "查找档案中的疑似重复（证件、电话、会员卡、邮箱、姓名+生日），放入审核列表。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--property",
            default="",
            help="property code (default: the default property)",
        )
        parser.add_argument("--batch", type=int, default=BATCH)
        parser.add_argument(
            "--block-cap",
            type=int,
            default=BLOCK_CAP,
            help="profiles sharing one key beyond which the key is a warning, not pairs",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["property"]
        prop = (
            Property.objects.filter(code=code).first() if code else property_default()
        )
        if prop is None:
            raise CommandError(f"没有代码为 {code} 的门店")
        result = duplicates_scan(
            property_id=prop.pk, batch=options["batch"], block_cap=options["block_cap"]
        )
        for warning in result.warnings:
            self.stderr.write(f"注意：{warning}")
        self.stdout.write(
            f"{prop.name}：{result.guests} 份档案，{result.blocks} 组，比较 {result.pairs_compared} 对；"
            f"新增 {result.created}，更新 {result.updated}，已审核 {result.already_reviewed}；"
            f"用时 {result.seconds:.1f} 秒"
        )
