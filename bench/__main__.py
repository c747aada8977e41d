"""``python -m bench [--scale small|medium|large|N] [--database sqlite|postgres|both]``.

Builds a fresh database, generates deterministic guests and spend lines, measures
each figure beside its baseline, prints a table, writes ``bench/out/report-<db>.md``
and ``.json``. Exits 1 when a correctness check fails, or, with ``--check``, when
any target is missed.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SCALES = {"small": 5_000, "medium": 100_000, "large": 1_000_000}
PARTS = ("card", "search", "imports", "duplicates", "load")
# The parts that only read the archive, which a run with --reuse may measure.
REUSABLE = frozenset({"card", "search"})


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--scale", default="small", help="small, medium, large or a count"
    )
    parser.add_argument(
        "--database", choices=["sqlite", "postgres", "both"], default="sqlite"
    )
    parser.add_argument(
        "--postgres-url", default="postgres://postgres@127.0.0.1:5432/dossier_bench"
    )
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "out"))
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when any target is missed"
    )
    parser.add_argument(
        "--parts",
        type=_parts,
        default=",".join(PARTS),
        help="which figures to measure, comma-separated, of: "
        + ", ".join(PARTS)
        + " (all by default; the archive and spend lines are always built)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL only: measure card and search on the database an earlier run "
        "of the same scale left, without building it again",
    )
    args = parser.parse_args(argv)
    if args.reuse and (args.database != "postgres" or args.parts - REUSABLE):
        parser.error(
            "--reuse is for --database postgres and --parts of "
            + ", ".join(sorted(REUSABLE))
            + " (the other parts write to the archive)"
        )
    return args


def _parts(text: str) -> frozenset[str]:
    chosen = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(chosen - set(PARTS))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown part {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(PARTS)}"
        )
    return chosen


def _both(argv: list[str]) -> int:
    """One process per database: Django's settings are fixed once set up."""
    status = 0
    for database in ("sqlite", "postgres"):
        args = [a for a in argv if not a.startswith("--database")]
        code = subprocess.call(
            [sys.executable, "-m", "bench", *args, "--database", database]
        )
        status = max(status, code)
    return status


ROOT = Path(__file__).resolve().parents[1]


def _this_checkout() -> None:
    """Measure the code of the checkout the bench is in, in this process and in the
    server and importer it starts, not an installed copy of Dossier."""
    source = str(ROOT / "src")
    sys.path[:0] = [source, str(ROOT)]
    paths = [source, str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)


def main(argv: list[str] | None = None) -> int:
    raw = sys.argv[1:] if argv is None else argv
    _this_checkout()
    args = parse_args(raw)
    if args.database == "both":
        return _both([a for a in raw if a not in ("both",)])
    guests = SCALES.get(args.scale) or int(args.scale)
    os.environ["DOSSIER_DATA_DIR"] = tempfile.mkdtemp(prefix="dossier-bench-")
    os.environ.setdefault("DOSSIER_SECRET_KEY", "bench-secret")
    os.environ.setdefault("DOSSIER_FIELD_KEY", "bench-field-key")
    os.environ["DOSSIER_DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "dossier.settings"
    if args.database == "postgres":
        from bench.pg import recreate_database

        if not args.reuse:
            recreate_database(args.postgres_url)
        os.environ["DATABASE_URL"] = args.postgres_url
    import django

    django.setup()
    from bench.run import run

    return run(
        guests=guests,
        database=args.database,
        out_dir=args.out,
        check=args.check,
        parts=args.parts,
        reuse=args.reuse,
    )


if __name__ == "__main__":
    raise SystemExit(main())
