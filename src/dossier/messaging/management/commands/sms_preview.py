"""``dossier sms_preview TEXT``: how many parts an SMS takes and what it costs."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dossier.messaging.sms import sms_preview


class Command(BaseCommand):
    help = "计算短信长度（UTF-16）、条数和费用。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", help="短信内容")

    def handle(self, *args: Any, **options: Any) -> None:
        text = options["text"]
        if any("\ud800" <= char <= "\udfff" for char in text):
            raise CommandError("短信内容不是有效的文字（编码有误），请以 UTF-8 输入")
        preview = sms_preview(text)
        self.stdout.write(
            _("长度 %(units)s（UTF-16 单位），%(parts)s 条，费用 %(cost)s 元")
            % {"units": preview.units, "parts": preview.parts, "cost": preview.cost}
        )
