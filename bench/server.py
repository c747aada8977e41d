"""``python -m bench.server``: Dossier behind a threaded WSGI server on 127.0.0.1.

Binds a free port, prints it on the first line, and serves until killed.
"""

import os
import sys
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dossier.settings")
    from django.db import connections

    from dossier.wsgi import application

    # A thread per request: persistent connections would outlive their threads and
    # run PostgreSQL out of connection slots.
    connections.settings["default"]["CONN_MAX_AGE"] = 0

    server = make_server(
        "127.0.0.1", 0, application, server_class=_Server, handler_class=_Quiet
    )
    sys.stdout.write(f"{server.server_port}\n")
    sys.stdout.flush()
    server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
