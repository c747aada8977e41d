"""``dossier sms_preview TEXT``: how many parts an SMS takes and what it costs."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.messaging.sms import sms_preview


class Command(BaseCommand):
    help = "计算短信长度（UTF-16）、条数和费用。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", help="the SMS text")

    def handle(self, *args: Any, **options: Any) -> None:
        text = options["text"]
        if any("\ud800" <= char <= "\udfff" for char in text):
            raise CommandError("短信内容不是有效的文字（编码有误），请以 UTF-8 输入")
        preview = sms_preview(text)
        self.stdout.write(
            f"units: {preview.units}, parts: {preview.parts}, cost: {preview.cost}"
        )
