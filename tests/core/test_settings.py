import subprocess
import sys

import pytest

from dossier.core.secrets import read_or_create_secret
from dossier.env import SettingError, env_bool, env_int


def dossier(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The ``dossier`` command run in a process of its own with only ``env``."""
    return subprocess.run(
        [sys.executable, "-m", "dossier.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_malformed_setting_names_the_variable(monkeypatch):
    monkeypatch.setenv("DOSSIER_X", "perhaps")
    monkeypatch.setenv("DOSSIER_N", "ten")

    with pytest.raises(SettingError, match="DOSSIER_X must be true or false"):
        env_bool("DOSSIER_X", False)
    with pytest.raises(SettingError, match="DOSSIER_N must be a whole number"):
        env_int("DOSSIER_N", 1)


def test_production_refuses_to_start_without_the_field_key(monkeypatch, tmp_path):
    monkeypatch.delenv("DOSSIER_FIELD_KEY", raising=False)

    with pytest.raises(SettingError, match="DOSSIER_FIELD_KEY is not set"):
        read_or_create_secret("DOSSIER_FIELD_KEY", tmp_path / "k", production=True)
    assert not (tmp_path / "k").exists()


def test_development_keeps_one_key_across_restarts(monkeypatch, tmp_path):
    monkeypatch.delenv("DOSSIER_FIELD_KEY", raising=False)

    first = read_or_create_secret("DOSSIER_FIELD_KEY", tmp_path / "k", production=False)
    second = read_or_create_secret(
        "DOSSIER_FIELD_KEY", tmp_path / "k", production=False
    )

    assert first == second
    assert oct((tmp_path / "k").stat().st_mode & 0o777) == "0o600"


def test_the_command_says_what_is_missing_without_a_traceback(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DOSSIER_ENV": "production",
        "DOSSIER_DATA_DIR": str(tmp_path),
        "DOSSIER_SECRET_KEY": "s",
    }

    result = dossier("check", env=env)

    assert result.returncode == 2
    assert "DOSSIER_FIELD_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_command_on_an_empty_database_says_to_migrate(tmp_path):
    # given a data directory whose database was never migrated
    env = {
        "PATH": "/usr/bin:/bin",
        "DOSSIER_DATA_DIR": str(tmp_path),
        "DOSSIER_SECRET_KEY": "s",
        "DOSSIER_FIELD_KEY": "f",
    }

    # when the desk looks a guest up from the command line
    result = dossier("lookup", "oysz", "--json", env=env)

    # then it is told to migrate, without a traceback
    assert result.returncode == 2
    assert "dossier migrate" in result.stderr
    assert "DOSSIER_DATA_DIR" in result.stderr
    assert "Traceback" not in result.stderr


def test_loan_request_days_out_of_range_stop_the_start(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DOSSIER_DATA_DIR": str(tmp_path),
        "DOSSIER_SECRET_KEY": "s",
        "DOSSIER_FIELD_KEY": "f",
        "DOSSIER_LOAN_REQUEST_DAYS": "0",
    }

    result = dossier("check", env=env)

    assert result.returncode == 2
    assert "DOSSIER_LOAN_REQUEST_DAYS must be 1 to 365 days, got 0" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_short_sms_callback_secret_is_refused_at_start(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DOSSIER_DATA_DIR": str(tmp_path),
        "DOSSIER_SMS_CALLBACK_SECRET": "short",
    }

    result = dossier("check", env=env)

    assert result.returncode == 2
    assert "DOSSIER_SMS_CALLBACK_SECRET must be at least 16 characters" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("value", "threshold"), [(None, "unset"), ("true", "unset"), ("false", None)]
)
def test_prepared_statements_can_be_turned_off_for_a_pooler(
    monkeypatch, value, threshold
):
    from dossier.settings import _database

    monkeypatch.setenv("DATABASE_URL", "postgres://dossier@127.0.0.1:5432/dossier")
    if value is None:
        monkeypatch.delenv("DOSSIER_PG_PREPARE", raising=False)
    else:
        monkeypatch.setenv("DOSSIER_PG_PREPARE", value)

    options = _database().get("OPTIONS", {})

    assert options.get("prepare_threshold", "unset") == threshold


def test_a_malformed_prepare_setting_names_the_variable(monkeypatch):
    from dossier.settings import _database

    monkeypatch.setenv("DATABASE_URL", "postgres://dossier@127.0.0.1:5432/dossier")
    monkeypatch.setenv("DOSSIER_PG_PREPARE", "sometimes")

    with pytest.raises(SettingError, match="DOSSIER_PG_PREPARE must be true or false"):
        _database()
