"""``dossier serve``: Dossier on 127.0.0.1:8000 through the Waitress WSGI server.

Waitress is a production-grade, multi-threaded server, so one machine needs nothing
else; ``--reload`` runs Django's development server instead, for working on the code.
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.env import env_int


class Command(BaseCommand):
    help = "启动 Dossier（默认 http://127.0.0.1:8000）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--reload", action="store_true", help="development server, reload on change"
        )
        parser.add_argument(
            "--threads", type=int, default=env_int("DOSSIER_SERVE_THREADS", 8)
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reload"]:
            call_command("runserver", options["addrport"], use_reloader=True)
            return
        host, _, port = str(options["addrport"]).rpartition(":")
        if not port.isdigit():
            raise CommandError(
                f"地址应写成 主机:端口，例如 127.0.0.1:8000，而不是 {options['addrport']}"
            )
        from waitress import serve

        from dossier.wsgi import application

        self.stdout.write(
            f"Dossier 已启动：http://{host or '127.0.0.1'}:{port}/（Ctrl+C 停止）"
        )
        serve(
            application,
            host=(host or "127.0.0.1").strip("[]"),
            port=int(port),
            threads=options["threads"],
            ident="Dossier",
        )
