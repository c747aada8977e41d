"""``python -m bench [--scale small|medium|large|N] [--database sqlite|postgres]``.

Builds a fresh database, generates deterministic guests, measures, prints a table,
writes ``bench/out/report.md`` and ``report.json``, and exits 1 when a target is missed.
"""

import argparse
import os
import sys
import tempfile

SCALES = {"small": 5_000, "medium": 100_000, "large": 1_000_000}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--scale", default="small", help="small, medium, large or a count"
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/dossier_bench"
    )
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "out"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    guests = SCALES.get(args.scale) or int(args.scale)
    os.environ["DOSSIER_DATA_DIR"] = tempfile.mkdtemp(prefix="dossier-bench-")
    os.environ.setdefault("DOSSIER_SECRET_KEY", "bench-secret")
    os.environ.setdefault("DOSSIER_FIELD_KEY", "bench-field-key")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dossier.settings"
    if args.database == "postgres":
        from bench.pg import recreate_database

        recreate_database(args.postgres_url)
        os.environ["DATABASE_URL"] = args.postgres_url
    import django

    django.setup()
    from bench.run import run

    return run(guests=guests, database=args.database, out_dir=args.out)


if __name__ == "__main__":
    raise SystemExit(main())
