"""``python -m bench.server``: Dossier as ``dossier serve`` runs it, on 127.0.0.1.

Binds a free port, prints it on the first line, and serves until terminated, with
``BENCH_SERVE_WORKERS`` processes (one unless set, as ``dossier serve``) of
``BENCH_SERVE_THREADS`` Waitress threads each.
"""

import logging
import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dossier.settings")
    from dossier.web.management.commands.serve import listen, serve_workers, warm_up
    from dossier.wsgi import application

    # Twenty clients keep more requests waiting than there are threads, by design;
    # Waitress would say so for every one of them.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    workers = int(os.environ.get("BENCH_SERVE_WORKERS", 1))
    threads = int(os.environ.get("BENCH_SERVE_THREADS", 8))
    # Ready before the port is known: no client waits for the views to be imported.
    warm_up()
    listener = listen("127.0.0.1", 0)
    sys.stdout.write(f"{listener.getsockname()[1]}\n")
    sys.stdout.flush()
    serve_workers(application, listener=listener, workers=workers, threads=threads)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
