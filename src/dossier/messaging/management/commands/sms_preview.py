"""``dossier sms_preview TEXT``: how many parts an SMS takes and what it costs."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dossier.messaging.sms import sms_preview


class Command(BaseCommand):
    help = "计算短信长度（UTF-16）、条数和费用。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", help="the SMS text")

    def handle(self, *args: Any, **options: Any) -> None:
        preview = sms_preview(options["text"])
        self.stdout.write(
            f"units: {preview.units}, parts: {preview.parts}, cost: {preview.cost}"
        )
