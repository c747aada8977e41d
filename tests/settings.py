"""Settings for the test suite: the product's settings with throwaway secrets."""

import os
import tempfile

os.environ.setdefault("DOSSIER_DATA_DIR", tempfile.mkdtemp(prefix="dossier-test-"))
os.environ.setdefault("DOSSIER_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DOSSIER_FIELD_KEY", "test-field-key-not-for-production")

from dossier.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A file, not memory: tests that file from several threads need SQLite's real locking.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
