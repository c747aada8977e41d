"""``dossier create-token USER NAME``: an API token for an integration (PMS, POS)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.api.auth import token_create
from dossier.core.audit import AuditAction, audit


class Command(BaseCommand):
    help = "为集成系统（PMS、POS）创建接口令牌；令牌只显示这一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. PMS")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户 {options['username']}")
        token, key = token_create(user=user, name=options["name"])
        audit(actor=user, action=AuditAction.TOKEN_CREATED, obj=token)
        self.stdout.write(key)
