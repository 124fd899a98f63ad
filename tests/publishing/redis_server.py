"""A private Redis server for the RQ tests: ``redis-server`` on a free port on 127.0.0.1, keeping
nothing on disk, started for the test session and stopped after it, so the tests never touch
another Redis's data. Without a ``redis-server`` binary the tests skip, unless
``CIVICPOST_REQUIRE_REDIS`` is set (as in CI), in which case they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unavailable(reason: str) -> None:
    if os.environ.get("CIVICPOST_REQUIRE_REDIS"):
        pytest.fail(f"CIVICPOST_REQUIRE_REDIS is set but Redis cannot run: {reason}")
    pytest.skip(reason)


def _wait_for(port: int, server: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            _unavailable(f"redis-server exited with code {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.1)
    _unavailable(f"redis-server did not answer on port {port} within {timeout:.0f} s")


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The URL of a private, empty Redis server."""
    binary = shutil.which("redis-server")
    if binary is None:
        _unavailable("redis-server is not installed (Debian package redis-server)")
    assert binary is not None
    port = _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, server)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)
