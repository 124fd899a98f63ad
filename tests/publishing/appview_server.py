"""The AT Protocol development network (``@atproto/dev-env``): a PLC directory, a PDS and the
Bluesky AppView that indexes it, on 127.0.0.1, for tests of what only an AppView answers
(notifications: replies and mentions by other accounts).

The AppView needs PostgreSQL and Redis: it gets a database of its own on the server that
``scripts/postgres-url`` finds (dropped afterwards) and the tests' private Redis server. The npm
packages pinned in ``tests/publishing/appview/package.json`` are installed once into
``.cache/appview``. Without Node, PostgreSQL or Redis the fixture skips, unless
``CIVICPOST_REQUIRE_PDS`` is set (as in CI), in which case it fails.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.publishing.pds_server import (
    REPO_ROOT,
    PdsServer,
    PdsUnavailable,
    _node_env,
    install_node_packages,
    node_bin_dir,
    start_node_script,
)
from tests.publishing.redis_server import redis_url

__all__ = ["bluesky_network", "redis_url"]

APPVIEW_DIR = Path(__file__).resolve().parent / "appview"
CACHE_DIR = REPO_ROOT / ".cache" / "appview"
START_TIMEOUT_S = 120.0


@dataclass
class DevNetwork:
    pds: PdsServer
    appview_url: str


def _unavailable(reason: str) -> None:
    if os.environ.get("CIVICPOST_REQUIRE_PDS"):
        pytest.fail(f"CIVICPOST_REQUIRE_PDS is set but the AppView network cannot run: {reason}")
    pytest.skip(f"the AT Protocol AppView network cannot run here: {reason}")


def _postgres_server() -> str:
    found = subprocess.run(
        [str(REPO_ROOT / "scripts" / "postgres-url")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0 or not found.stdout.strip():
        _unavailable("no PostgreSQL for the AppView (see scripts/postgres-url)")
    return found.stdout.strip()


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql", path=f"/{name}"))


def _admin(url: str, statement: str) -> None:
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def _start(database_url: str, redis: str) -> tuple[subprocess.Popen[str], list[str]]:
    node_modules = install_node_packages(APPVIEW_DIR, CACHE_DIR, "the AT Protocol dev network")
    env = {
        **_node_env(node_bin_dir()),
        "NODE_PATH": str(node_modules),
        "DB_POSTGRES_URL": database_url,
        "DB_POSTGRES_SCHEMA": "appview",
        "REDIS_HOST": urlsplit(redis).netloc,
        "LOG_ENABLED": "false",
    }
    return start_node_script(
        APPVIEW_DIR / "network.js", [], env, CACHE_DIR, "NETWORK READY", START_TIMEOUT_S
    )


@pytest.fixture(scope="session")
def bluesky_network(redis_url: str) -> Iterator[DevNetwork]:
    """One PLC + PDS + AppView for the whole test session."""
    server = _postgres_server()
    name = f"civicpost_appview_{secrets.token_hex(4)}"
    try:
        _admin(server, f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        _unavailable(f"cannot create a database for the AppView: {error}")
    try:
        try:
            process, (pds_url, appview_url, plc_url) = _start(
                _with_database(server, name), redis_url
            )
        except PdsUnavailable as reason:
            _unavailable(str(reason))
        try:
            yield DevNetwork(PdsServer(pds_url, plc_url, process), appview_url)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
