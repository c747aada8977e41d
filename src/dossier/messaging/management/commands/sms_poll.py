"""``dossier sms_poll``: fetch delivery reports and replies from the SMS gateway."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dossier.messaging.gateways import GatewayUnavailable
from dossier.messaging.services import sms_poll


class Command(BaseCommand):
    help = "从短信网关取回送达报告和客人回复（回复“TD”“退订”即退订）。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = sms_poll()
        except GatewayUnavailable as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"reports: {report.reports}, replies: {report.replies}")
