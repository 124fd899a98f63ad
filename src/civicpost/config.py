"""Settings read from the environment, and nowhere else.

Kept apart from ``settings.py`` so the rules (what is required in production,
where the data folder is) can be tested without configuring Django.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class ConfigurationError(Exception):
    """The environment does not describe a civicpost that can start."""


@dataclass(frozen=True)
class Config:
    environment: str
    debug: bool
    data_dir: Path
    secret_key: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    database_url: str
    language_code: str
    email_url: str
    default_from_email: str
    tasks_backend: str
    policy_dir: str

    @property
    def production(self) -> bool:
        return self.environment == "production"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _development_secret(data_dir: Path) -> str:
    """Generate a secret once and keep it in the data folder, so sessions survive restarts."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


def load(environ: Mapping[str, str] = os.environ) -> Config:
    """Read the configuration; raise ConfigurationError with every problem found."""
    environment = environ.get("CIVICPOST_ENV", "development").strip().lower()
    if environment not in {"development", "production"}:
        raise ConfigurationError(
            f"CIVICPOST_ENV must be 'development' or 'production', not {environment!r}."
        )
    production = environment == "production"
    data_dir = Path(environ.get("CIVICPOST_DATA_DIR", "data")).resolve()
    problems: list[str] = []

    secret_key = environ.get("SECRET_KEY", "").strip()
    if not secret_key:
        if production:
            problems.append(
                "SECRET_KEY is not set. In production civicpost needs a long random secret, "
                "for example from: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        else:
            secret_key = _development_secret(data_dir)

    allowed_hosts = _split(environ.get("CIVICPOST_ALLOWED_HOSTS", ""))
    if production and not allowed_hosts:
        problems.append(
            "CIVICPOST_ALLOWED_HOSTS is not set. In production list the host names civicpost "
            "answers to, comma separated, for example: civicpost.example.nl"
        )
    if not production and not allowed_hosts:
        allowed_hosts = ["127.0.0.1", "localhost", "[::1]", "testserver"]

    language = environ.get("CIVICPOST_LANGUAGE", "nl").strip().lower()
    if language not in {"nl", "en"}:
        problems.append(f"CIVICPOST_LANGUAGE must be 'nl' or 'en', not {language!r}.")

    tasks_backend = environ.get("CIVICPOST_TASKS", "database").strip().lower()
    if tasks_backend not in {"database", "immediate", "redis"}:
        problems.append(
            f"CIVICPOST_TASKS must be 'database', 'immediate' or 'redis', not {tasks_backend!r}."
        )

    if problems:
        raise ConfigurationError("civicpost cannot start:\n  - " + "\n  - ".join(problems))

    return Config(
        environment=environment,
        debug=not production,
        data_dir=data_dir,
        secret_key=secret_key,
        allowed_hosts=allowed_hosts,
        csrf_trusted_origins=_split(environ.get("CIVICPOST_CSRF_TRUSTED_ORIGINS", "")),
        database_url=environ.get("DATABASE_URL", "").strip()
        or f"sqlite:///{data_dir / 'civicpost.sqlite3'}",
        language_code=language,
        email_url=environ.get("EMAIL_URL", "").strip(),
        default_from_email=environ.get("DEFAULT_FROM_EMAIL", "civicpost@localhost"),
        tasks_backend=tasks_backend,
        policy_dir=environ.get("CIVICPOST_POLICY_DIR", "").strip(),
    )
