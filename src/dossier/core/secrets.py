"""Secrets: from the environment in production, kept in the data directory otherwise."""

import base64
import os
import secrets
from pathlib import Path

from dossier.env import SettingError


def read_or_create_secret(name: str, path: Path, *, production: bool) -> str:
    """Return the secret named ``name``.

    In production the variable must be set; its absence stops start-up with a message
    that names it. In development a random secret is created once in ``path`` so that
    encrypted data stays readable across restarts.
    """
    value = os.environ.get(name, "")
    if value:
        return value
    if production:
        raise SettingError(
            f"{name} is not set. In production Dossier needs it; create one with "
            "`dossier generate-key` and keep it safe: without it the ID numbers "
            "stored in the database cannot be read."
        )
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = new_secret()
    path.write_text(value, encoding="ascii")
    path.chmod(0o600)
    return value


def new_secret() -> str:
    """A fresh 256-bit secret, URL-safe base64."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")
