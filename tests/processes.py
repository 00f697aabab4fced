"""Running ``athlos`` commands as real processes (serve, worker) for multi-process tests."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.waiting import wait_until

REPO = Path(__file__).resolve().parents[1]


# Ports come from a block of this test process's own, below Linux's ephemeral range (32768-60999): a
# port asked of the system (bind to 0) and let go could be handed to another test process's server in
# the seconds before this one's binds it, and the test would then talk to the wrong server.
_FIRST_PORT = 20_000
_BLOCK = 400
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_BLOCK_START = _FIRST_PORT + _BLOCK * (int(_WORKER[2:]) + 1 if _WORKER.startswith("gw") else 0)
_turns = itertools.count()


def free_port() -> int:
    """A port of this process's block that is free now (each call a different one)."""
    for _ in range(_BLOCK):
        port = _BLOCK_START + next(_turns) % _BLOCK
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue  # in use, or its last connections are still closing
            return port
    raise RuntimeError(f"no free port in {_BLOCK_START}-{_BLOCK_START + _BLOCK - 1}")


class AthlosProcess:
    """One ``athlos`` process with its own environment; its output goes to a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.args = args
        # This checkout's sources first (not whichever copy is installed), and its tests for probes.
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
            # A page left open keeps its live stream: the test need not wait long for it to end.
            "ATHLOS_SHUTDOWN_GRACE_SECONDS": "1",
            # Several test processes and their servers share one PostgreSQL and its connection limit.
            "ATHLOS_DATABASE_POOL_SIZE": "2",
            "ATHLOS_DATABASE_MAX_OVERFLOW": "8",
            **env,
        }
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> AthlosProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "athlos", *self.args],
            env=self.env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None, "the process was not started"
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL: no cleanup, no acknowledgements, as when a machine dies."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def assert_running(self) -> None:
        assert self.process is not None
        assert self.process.poll() is None, self.output()[-4000:]


def wait_for_http_sync(base_url: str, process: AthlosProcess, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        process.assert_running()
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{base_url} did not answer within {timeout}s:\n{process.output()[-4000:]}")
        time.sleep(0.05)


async def wait_for_http(base_url: str, process: AthlosProcess, timeout: float = 60.0) -> None:
    async def ready() -> bool:
        process.assert_running()
        try:
            async with httpx.AsyncClient(timeout=2) as client:
                return (await client.get(f"{base_url}/healthz")).status_code == 200
        except httpx.HTTPError:
            return False

    await wait_until(ready, timeout=timeout, what=f"{base_url} to answer")
