"""gunicorn as the desk is served in production: 2 sync workers on loopback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

GUNICORN = Path(sys.executable).parent / "gunicorn"
ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


@dataclass
class Server:
    port: int
    master_pid: int

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def peak_rss_mb(self) -> float:
        """The largest peak resident size (VmHWM) among the workers, in MiB."""
        peaks = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if found:
                peaks.append(int(found.group(1)) / 1024)
        return max(peaks, default=float("nan"))


@contextmanager
def gunicorn(app_spec: str, env: dict, log: Path) -> Iterator[Server]:
    """Serve ``app_spec`` on a free port until the block ends; the log goes to ``log``."""
    python_path = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(GUNICORN), f"--workers={WORKERS}", "--worker-class=sync", "--bind=127.0.0.1:0",
             "--no-control-socket", "--timeout=120", app_spec],
            env={**env, "PYTHONPATH": python_path}, cwd=log.parent, stdin=subprocess.DEVNULL,
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        port = _wait_until_ready(process, log)
        yield Server(port, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=60)


def _wait_until_ready(process: subprocess.Popen, log: Path) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        text = log.read_text()
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", text)
        if found and text.count("Booting worker") >= WORKERS:
            time.sleep(0.5)  # both workers import the app before they accept
            return int(found.group(1))
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn failed to start:\n{text[-3000:]}")
        time.sleep(0.05)
    raise RuntimeError(f"gunicorn did not start within 120 s:\n{log.read_text()[-3000:]}")
