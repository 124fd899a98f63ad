"""The RQ/Redis task backend (``CIVICPOST_TASKS=redis``) in a real process against a private
Redis server: one periodic tick waits however often workers start, and a worker in burst mode
runs it. (The kill test in test_workflow_kill.py publishes through RQ workers end to end.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import redis

from tests.publishing.redis_server import redis_url

__all__ = ["redis_url"]

COUNT_TICKS = """
import django_rq
from rq.job import Job
from civicpost.publishing import tasks
for _ in range(3):
    tasks.ensure_tick()  # as three workers starting one after another
queue = django_rq.get_queue("default")
ids = [*queue.get_job_ids(), *queue.scheduled_job_registry.get_job_ids()]
jobs = Job.fetch_many(ids, connection=queue.connection)
print(sum(1 for job in jobs if job and job.func_name == tasks.tick.module_path))
"""


def _env(tmp: Path, url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        CIVICPOST_DATA_DIR=str(tmp),
        CIVICPOST_TASKS="redis",
        REDIS_URL=url,
        CIVICPOST_ENV="development",
    )
    return env


def _civicpost(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "civicpost", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def test_one_tick_waits_however_many_workers_start_and_a_worker_runs_it(tmp_path, redis_url):
    redis.Redis.from_url(redis_url).flushdb()
    env = _env(tmp_path, redis_url)
    _civicpost(env, "manage", "migrate", "--verbosity", "0")

    assert _civicpost(env, "manage", "shell", "-v", "0", "-c", COUNT_TICKS).stdout.split() == ["1"]

    worker = _civicpost(env, "worker", "--batch")
    assert "civicpost.publishing.tasks.tick" in worker.stderr
    assert "Job OK" in worker.stderr
