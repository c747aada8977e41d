"""``dossier serve``: Dossier on 127.0.0.1:8000 through the Waitress WSGI server.

Waitress is a production-grade, multi-threaded server, so one machine needs nothing
else; ``--reload`` runs Django's development server instead, for working on the code.
Python runs one thread at a time per process, so ``--workers`` forks that many
processes onto one listening socket: with two, a look-up at the desk gets a core of
its own while another process renders a long report.
"""

import os
import signal
import socket
from types import FrameType
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.urls import get_resolver

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
        parser.add_argument(
            "--workers", type=int, default=env_int("DOSSIER_SERVE_WORKERS", 1)
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
        for name in ("threads", "workers"):
            if options[name] < 1:
                raise CommandError(f"--{name} 至少为 1，而不是 {options[name]}")
        from dossier.wsgi import application

        self.stdout.write(
            f"Dossier 已启动：http://{host or '127.0.0.1'}:{port}/（Ctrl+C 停止）"
        )
        serve_workers(
            application,
            listener=listen((host or "127.0.0.1").strip("[]"), int(port)),
            workers=options["workers"],
            threads=options["threads"],
        )


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free one), IPv4 or IPv6."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=1024)


# Queries of each shape the look-up box is given: a mobile, an ID number, a name in
# characters and in pinyin, a room.
WARM_UP_QUERIES = ("13800138000", "110105198503140021", "王芳", "wang fang", "0812")


def warm_up() -> None:
    """Import every view and the API now, as the first request would: seconds of
    work that the first clients would otherwise all wait for at once (and every
    process forked after inherits it done). Planning a look-up of each shape
    compiles the phone number patterns and loads the name tables it reads, without
    a query to the database."""
    from dossier.search.query import plan_query

    get_resolver().url_patterns  # noqa: B018 - reading it imports the URLconf
    for query in WARM_UP_QUERIES:
        plan_query(query)


def serve_workers(
    application: WSGIHandler, *, listener: socket.socket, workers: int, threads: int
) -> None:
    """Serve on ``listener`` with ``workers`` processes of ``threads`` threads each,
    this process being the first; SIGTERM or Ctrl+C stops them all."""
    from waitress import serve

    warm_up()
    # Each process opens its own database connections; none may be shared.
    connections.close_all()
    children: list[int] = []
    for _ in range(workers - 1):
        pid = os.fork()
        if pid == 0:
            try:
                serve(application, sockets=[listener], threads=threads, ident="Dossier")
            finally:
                os._exit(0)
        children.append(pid)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        serve(application, sockets=[listener], threads=threads, ident="Dossier")
    finally:
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        for pid in children:
            os.waitpid(pid, 0)
