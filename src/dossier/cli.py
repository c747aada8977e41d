"""The ``dossier`` command: every management command, without ``manage.py``.

``dossier serve`` runs the server (``runserver`` in development); every other word is a
Django management command (``dossier migrate``, ``dossier import``, ``dossier lookup``).
"""

import os
import sys

ALIASES = {"serve": "serve"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dossier.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "dossier"
    if len(args) == 1:
        args.append("help")
    from django.db import DatabaseError

    from dossier.env import SettingError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(args)
    except SettingError as error:
        sys.stderr.write(f"dossier: {error}\n")
        raise SystemExit(2) from None
    except DatabaseError:
        if args[1] == "migrate" or not _unmigrated():
            raise
        from django.conf import settings

        sys.stderr.write(
            "dossier: 数据库尚未建立或未升级到本版本（"
            f"{settings.DATABASES['default']['NAME']}）。"
            "请先运行 dossier migrate；make run 的数据在 ./var，"
            "请设置 DOSSIER_DATA_DIR 指向它。\n"
        )
        raise SystemExit(2) from None


def _unmigrated() -> bool:
    """Whether the database lacks migrations this version needs (a fresh data
    directory, or one from an older release): the cause of a command's failure to
    say in words rather than as a traceback."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        return bool(executor.migration_plan(targets))
    except DatabaseError:
        # The database cannot be read at all (down, refused): the original error
        # says more than a guess would.
        return False


if __name__ == "__main__":
    main()
