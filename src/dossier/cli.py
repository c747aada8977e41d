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
    from dossier.env import SettingError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(args)
    except SettingError as error:
        sys.stderr.write(f"dossier: {error}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
