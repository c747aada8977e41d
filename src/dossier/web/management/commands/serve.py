"""``dossier serve``: the built-in server on 127.0.0.1:8000, without auto-reload.

For a busy property, run a WSGI server on ``dossier.wsgi:application`` instead.
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "启动 Dossier（默认 http://127.0.0.1:8000）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--reload", action="store_true", help="reload on code change"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command(
            "runserver",
            options["addrport"],
            use_reloader=options["reload"],
            use_threading=True,
        )
