"""``dossier generate-key``: a new random secret for DOSSIER_SECRET_KEY or FIELD_KEY."""

from typing import Any

from django.core.management.base import BaseCommand

from dossier.core.secrets import new_secret


class Command(BaseCommand):
    help = "生成一个随机密钥，用作 DOSSIER_SECRET_KEY 或 DOSSIER_FIELD_KEY。"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_secret())
