"""Configuration comes from the environment; production refuses unsafe defaults."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from civicpost import config


def test_development_defaults_to_sqlite_in_the_data_folder(tmp_path):
    loaded = config.load({"CIVICPOST_DATA_DIR": str(tmp_path)})
    assert loaded.database_url == f"sqlite:///{tmp_path / 'civicpost.sqlite3'}"
    assert loaded.debug is True


def test_development_secret_is_generated_once_and_kept(tmp_path):
    first = config.load({"CIVICPOST_DATA_DIR": str(tmp_path)}).secret_key
    second = config.load({"CIVICPOST_DATA_DIR": str(tmp_path)}).secret_key
    assert first == second and len(first) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_names_every_missing_setting(tmp_path):
    with pytest.raises(config.ConfigurationError) as error:
        config.load({"CIVICPOST_ENV": "production", "CIVICPOST_DATA_DIR": str(tmp_path)})
    message = str(error.value)
    assert "SECRET_KEY" in message and "CIVICPOST_ALLOWED_HOSTS" in message
    assert not (tmp_path / "secret_key").exists()


def test_production_with_settings_turns_debug_off(tmp_path):
    loaded = config.load(
        {
            "CIVICPOST_ENV": "production",
            "SECRET_KEY": "x" * 50,
            "CIVICPOST_ALLOWED_HOSTS": "civicpost.example.nl, other.example.nl",
            "CIVICPOST_DATA_DIR": str(tmp_path),
        }
    )
    assert loaded.debug is False
    assert loaded.allowed_hosts == ["civicpost.example.nl", "other.example.nl"]


def _civicpost(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser tests relax Django's async guard for their own process only.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "-m", "civicpost", *args],
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_refuses_to_start_in_production_without_settings(tmp_path):
    result = _civicpost(
        ["manage", "check"],
        {"CIVICPOST_ENV": "production", "CIVICPOST_DATA_DIR": str(tmp_path), "SECRET_KEY": ""},
    )
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_passes_djangos_deployment_checks(tmp_path):
    result = _civicpost(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"],
        {
            "CIVICPOST_ENV": "production",
            "CIVICPOST_DATA_DIR": str(tmp_path),
            "SECRET_KEY": "k" * 30 + "-Z9_q" * 10,
            "CIVICPOST_ALLOWED_HOSTS": "civicpost.example.nl",
        },
    )
    assert result.returncode == 0, result.stderr
