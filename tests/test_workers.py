"""Switching a plugin on or off with the CLI takes effect on the next request in every worker
of a running server, without restarting it.

The app runs under gunicorn with two worker processes on the suite's database (a prepared
SQLite instance folder, or the PostgreSQL test database). Each request carries a probe id
that gunicorn's access log writes next to the pid of the worker that answered it, so the
test knows that both workers were asked.
"""

from __future__ import annotations

import http.client
import itertools
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from deskcore import create_app
from deskcore.config import secret_key
from deskcore.extensions import db
from deskcore.migrate import upgrade_all
from deskcore.services.setup import seed_defaults
from deskcore.testing import TEST_DATABASE_ENV

TESTS = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
DUMMY = "deskcore_dummy.plugin"
WORKERS = 2
#: Rounds per phase in which every worker answers a request, and the most rounds tried.
ROUNDS, MAX_ROUNDS = 3, 30
#: Time for each worker to accept() one of a round's idle connections.
PIN_SECONDS = 0.05
#: Generous limits: CI machines run other suites at the same time.
START_TIMEOUT_SECONDS = 120
WAIT_SECONDS = 60

pytestmark = pytest.mark.slow


@pytest.fixture
def deployment(request, tmp_path: Path) -> dict[str, str]:
    """The environment of a deployment whose database was migrated and seeded by hand:
    ``create_app`` + ``upgrade_all`` + ``seed_defaults``, the dummy plugin installed."""
    instance = tmp_path / "instance"
    instance.mkdir()
    secret_key(instance, create=True)  # as `deskcore init` leaves it: one key for all workers
    env = {
        **os.environ,
        "DESKCORE_INSTANCE_PATH": str(instance),
        "DESKCORE_PLUGIN_MODULES": DUMMY,
        "PYTHONPATH": os.pathsep.join(
            p for p in [str(TESTS / "plugins"), os.environ.get("PYTHONPATH")] if p
        ),
    }
    env.pop("DESKCORE_DATABASE_URL", None)
    url = f"sqlite:///{instance / 'deskcore.sqlite'}"
    if os.environ.get(TEST_DATABASE_ENV):
        url = env["DESKCORE_DATABASE_URL"] = request.getfixturevalue("database_url")
    app = create_app(
        {
            "DESKCORE_INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": url,
            "DESKCORE_PLUGIN_MODULES": [DUMMY],
        }
    )
    upgrade_all(app)
    with app.app_context():
        seed_defaults("en")
        db.engine.dispose()
    return env


@dataclass
class Server:
    """A running gunicorn: its port and the access log that names the answering worker."""

    process: subprocess.Popen
    port: int
    access_log: Path
    worker_pids: set[str]

    def answers(self, path: str) -> list[tuple[str, int]]:
        """``(worker pid, status)`` of requests, each on a new connection, sent in rounds
        until ``ROUNDS`` rounds were each answered by every worker.

        A sync worker serves one connection at a time and blocks reading a connection it has
        accepted. So a round first opens one idle connection per worker, which pins each
        ready worker to one of them, and only then sends a request on each: every worker
        answers one (sequential or concurrent requests could all reach one worker). A round
        where one worker still took both, because it was quicker than the other to
        accept() again, only counts as extra requests.
        """
        seen: list[tuple[str, int]] = []
        complete = 0
        with ThreadPoolExecutor(WORKERS) as pool:
            for _ in range(MAX_ROUNDS):
                connections = [self._connect() for _ in range(WORKERS)]
                time.sleep(PIN_SECONDS)
                probes = [f"probe-{next(_probes)}" for _ in connections]
                statuses = list(pool.map(partial(self._get, path), connections, probes))
                answered = [self._answered_by(p) for p in probes]
                seen += zip(answered, statuses, strict=True)
                complete += set(answered) == self.worker_pids
                if complete == ROUNDS:
                    return seen
        raise AssertionError(f"workers {sorted({p for p, _ in seen})} answered {path}")

    def _connect(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT_SECONDS)
        connection.connect()
        return connection

    @staticmethod
    def _get(path: str, connection: http.client.HTTPConnection, probe: str) -> int:
        try:
            connection.request("GET", path, headers={"Connection": "close", "X-Probe": probe})
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def _answered_by(self, probe: str) -> str:
        """The pid gunicorn logged for the request (the line may land just after the reply)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            for line in self.access_log.read_text().splitlines():
                logged_probe, pid, _status = line.split()
                if logged_probe == probe:
                    return pid.strip("<>")
            time.sleep(0.01)
        raise AssertionError(f"request {probe} never reached the access log")


_probes = itertools.count()


@pytest.fixture
def server(deployment: dict[str, str], tmp_path: Path) -> Iterator[Server]:
    """gunicorn serving ``deskcore.wsgi:app`` with two workers on a free port."""
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    config = tmp_path / "gunicorn.conf.py"
    config.write_text(READY_HOOK)
    command = [
        str(BIN / "gunicorn"),
        "--config",
        str(config),
        "--workers",
        str(WORKERS),
        "--bind",
        "127.0.0.1:0",
        "--no-control-socket",
        "--timeout",  # a worker busy past it would be replaced, changing the pids
        str(START_TIMEOUT_SECONDS),
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        "%({x-probe}i)s %(p)s %(s)s",
        "--error-logfile",
        str(error_log),
        "deskcore.wsgi:app",
    ]
    process = subprocess.Popen(
        command,
        env=deployment,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port, pids = _wait_until_ready(process, error_log)
        yield Server(process, port, access_log, pids)
        assert process.poll() is None, "gunicorn stopped during the test"
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown: nothing is in flight any more
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


#: gunicorn logs "Booting worker" before the worker loads the app, which can take seconds
#: on a busy machine; this hook logs once the worker has loaded it and is about to accept.
READY_HOOK = """
def post_worker_init(worker):
    worker.log.info("Worker ready with pid: %s", worker.pid)
"""


def _wait_until_ready(process: subprocess.Popen, error_log: Path) -> tuple[int, set[str]]:
    """The port gunicorn bound and the pids of its workers once they have loaded the app."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        log = error_log.read_text() if error_log.exists() else ""
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}:\n{log}")
        listening = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log)
        pids = set(re.findall(r"Worker ready with pid: (\d+)", log))
        if listening and len(pids) == WORKERS:
            return int(listening.group(1)), pids
        time.sleep(0.05)
    raise AssertionError(f"gunicorn did not start in {START_TIMEOUT_SECONDS} s")


def deskcore_cli(env: dict[str, str], *args: str) -> None:
    """Run ``deskcore ARGS`` as an operator would, in its own process."""
    done = subprocess.run(
        [str(BIN / "deskcore"), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"deskcore {' '.join(args)} failed:\n{done.stdout}{done.stderr}"


def statuses(answers: list[tuple[str, int]]) -> set[int]:
    return {status for _, status in answers}


def test_enabling_and_disabling_a_plugin_reaches_every_worker_on_the_next_request(
    deployment, server
):
    assert statuses(server.answers("/healthz")) == {200}
    assert statuses(server.answers("/plugins/dummy/ping")) == {404}

    deskcore_cli(deployment, "plugins", "enable", "dummy")
    assert statuses(server.answers("/plugins/dummy/ping")) == {200}

    deskcore_cli(deployment, "plugins", "disable", "dummy")
    answers = server.answers("/plugins/dummy/ping")
    assert statuses(answers) == {404}
    assert {pid for pid, _ in answers} == server.worker_pids  # the same workers: no restart
