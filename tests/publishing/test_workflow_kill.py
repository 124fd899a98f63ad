"""The kill test: 50 drafts published through a real task worker while it is killed (SIGKILL,
its whole process group) at random moments and restarted. Exactly 50 posts must reach the server
and exactly 50 captures the archive: none lost, none doubled. It runs with both task backends:
the database worker (django-tasks-db) and an RQ worker on a private Redis server.

The server is the Mastodon stand-in (``mastodon-mock``, see mastodon_server.py) with the
Mastodon adapter; a latency fault on posting widens the window in which a kill lands in the
middle of a send, so the "worker died while sending" path is exercised, not just hoped for.
The worker and this test share one SQLite database file (DATABASE_URL), as a worker pool
shares its database.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.publishing import workflow_fixtures
from tests.publishing.redis_server import redis_url
from tests.publishing.workflow_fixtures import ORGANISATION_TOKEN, fault, reset_server

# Fixtures from other modules, used by name below.
mastodon_server = workflow_fixtures.mastodon_server
__all__ = ["redis_url"]

DRAFTS = 50
MAX_RESTARTS = 200  # a safety stop for a broken worker, not a timing assertion

SETUP = """
from civicpost.people import demo
from civicpost.people.models import Account
from civicpost.drafts import services as drafts
from civicpost.publishing import credentials, services
demo.load_demo()
account = Account.objects.get(handle="@waterveiligheid@social.example")
connection = credentials.connection_for(account)
connection.settings = {"server_url": "%(server)s"}
connection.save()
credentials.store_credentials(connection, {"access_token": "%(token)s"})
assert credentials.check_connection(account).status == "ok"
anna = account.posters.get(user__username="anna")
for number in range(%(drafts)d):
    text = f"Bericht {number} over de dijkversterking bij kilometerpaal {number}."
    draft = drafts.save_draft(anna, account, "explaining-policy", text)
    services.request_publication(draft, anna, [account])
"""


@pytest.fixture(params=["database", "redis"])
def task_env(request, tmp_path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The worker's environment for each task backend; Redis is a private server per session,
    emptied before the test so no job of an earlier test lingers."""
    env = _env(tmp_path, request.param)
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        import redis

        redis.Redis.from_url(url).flushdb()
        env["REDIS_URL"] = url
    return env


def _env(tmp: Path, backend: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'shared.sqlite3'}",
        CIVICPOST_DATA_DIR=str(tmp),
        CIVICPOST_TASKS=backend,
        CIVICPOST_PUBLISH_SENDING_TIMEOUT="2",
        CIVICPOST_PUBLISH_BACKOFF_SECONDS="0.5",
        CIVICPOST_TICK_SECONDS="0.5",
        CIVICPOST_HARVEST_SECONDS="86400",
        CIVICPOST_ENV="development",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "civicpost", "manage", *args], env=env, check=True, timeout=600
    )


def _states(db: Path) -> dict[str, int]:
    with sqlite3.connect(db, timeout=30) as connection:
        rows = connection.execute(
            "SELECT state, count(*) FROM publishing_publication GROUP BY state"
        ).fetchall()
    return dict(rows)


def _wait_until_working(worker: subprocess.Popen[str]) -> None:
    """Django's start-up takes a while; kill moments count from when the worker runs."""
    assert worker.stderr is not None
    for line in worker.stderr:
        if "Starting worker" in line or "Listening on" in line:  # db_worker, RQ worker
            break
    else:
        pytest.fail(f"the worker exited before starting (exit code {worker.wait()})")
    # Keep draining its log so a full pipe never blocks it.
    threading.Thread(target=worker.stderr.read, daemon=True).start()


def _server_statuses(server) -> list[dict]:  # type: ignore[no-untyped-def]
    client = server.client(token=ORGANISATION_TOKEN)
    first = client.account_statuses(client.me()["id"], limit=40)
    return list(client.fetch_remaining(first))


def test_killing_the_worker_at_random_loses_nothing_and_doubles_nothing(
    tmp_path, task_env, mastodon_server
):
    reset_server(mastodon_server.base_url)
    env = task_env
    db = tmp_path / "shared.sqlite3"
    _manage(env, "migrate", "--verbosity", "0")
    setup = SETUP % {
        "server": mastodon_server.base_url,
        "token": ORGANISATION_TOKEN,
        "drafts": DRAFTS,
    }
    _manage(env, "shell", "-c", setup)
    assert _states(db) == {"queued": DRAFTS}

    chance = random.Random()  # noqa: S311 - random kill moments, not cryptography
    kills = 0
    with fault(
        mastodon_server.base_url,
        path="/api/v1/statuses",
        methods=["POST"],
        type="latency",
        delay_ms=100,
    ):
        for _restart in range(MAX_RESTARTS):
            if _states(db).get("published", 0) == DRAFTS:
                break
            worker = subprocess.Popen(
                [sys.executable, "-m", "civicpost", "worker", "--interval", "0.2"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
            _wait_until_working(worker)
            # A random moment while it works: before, during or after a send. The whole group
            # dies, as on a crash: an RQ worker runs each job in a forked child.
            time.sleep(chance.uniform(0.2, 4.0))
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
            kills += 1
        else:
            pytest.fail(f"not all published after {MAX_RESTARTS} restarts: {_states(db)}")

    assert kills > 1
    assert _states(db) == {"published": DRAFTS}
    statuses = _server_statuses(mastodon_server)
    texts = [s["content"] for s in statuses]
    assert len(statuses) == DRAFTS, "a post was lost or doubled on the server"
    assert len(set(texts)) == DRAFTS
    with sqlite3.connect(db) as connection:
        captures, remote_ids = connection.execute(
            "SELECT count(*), count(DISTINCT remote_id) FROM archive_capture WHERE kind = 'post'"
        ).fetchone()
        published_ids = {
            row[0] for row in connection.execute("SELECT remote_id FROM publishing_publication")
        }
    assert captures == DRAFTS and remote_ids == DRAFTS
    assert published_ids == {str(s["id"]) for s in statuses}
