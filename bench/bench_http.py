"""Requests/s and latency of a trivial unauthenticated endpoint with one and two ``athlos serve``
processes, at 100 concurrent connections on loopback, measured with wrk. Prints one JSON document.

Needs ``wrk`` (Debian package wrk). ``--path /healthz --seconds 10 --connections 100``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPORT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "errors": %d, "duration_us": %d, ',
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout, summary.duration))
  io.write(string.format('"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f}\\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("athlos serve exited early")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def measure(processes: int, path: str, seconds: int, connections: int, data_dir: Path) -> dict[str, object]:
    port = free_port()
    env = {
        **os.environ,
        "ATHLOS_DATA_DIR": str(data_dir),
        "ATHLOS_PORT": str(port),
        "ATHLOS_LOG_LEVEL": "warning",
    }
    subprocess.run([sys.executable, "-m", "athlos", "migrate"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "athlos", "serve", "--workers", str(processes)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}{path}"
    try:
        wait_ready(url, server)
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(REPORT)
            script.flush()
            subprocess.run(
                ["wrk", "-t2", "-c", str(connections), "-d", "2s", url], check=True, capture_output=True
            )
            out = subprocess.run(
                ["wrk", "-t2", "-c", str(connections), "-d", f"{seconds}s", "-s", script.name, url],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = json.loads(out.strip().splitlines()[-1])
    report["requests_per_s"] = round(report["requests"] / (report.pop("duration_us") / 1e6), 1)
    return {"serve_processes": processes, **report}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--path", default="/healthz")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=100)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print(
            json.dumps({"benchmark": "http_trivial", "error": "wrk is not installed (apt-get install wrk)"})
        )
        sys.exit(1)
    with tempfile.TemporaryDirectory() as data:
        runs = [
            measure(processes, args.path, args.seconds, args.connections, Path(data) / str(processes))
            for processes in (1, 2)
        ]
    print(
        json.dumps(
            {
                "benchmark": "http_trivial",
                "path": args.path,
                "connections": args.connections,
                "cpu_count": os.cpu_count(),
                "runs": runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
