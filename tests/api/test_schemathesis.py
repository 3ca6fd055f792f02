"""schemathesis fuzzes the live API from its own OpenAPI document and finds nothing.

gunicorn serves the app with every installed first-party plugin enabled, on the suite's
database (SQLite, or PostgreSQL when DESKCORE_TEST_DATABASE_URL is set), seeded with a few
customers and tickets so generated ids sometimes hit real rows. Every operation gets 20
generated cases, checked for server errors, undocumented status codes and answers that do
not match their schema.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskcore import create_app
from deskcore.extensions import db
from deskcore.plugins import registry
from deskcore.services import create_customer, open_ticket
from deskcore.services.plugin_admin import enable_plugin
from deskcore.services.setup import seed_defaults
from deskcore.services.tokens import create_token
from deskcore.services.users import create_user

BIN = Path(sys.executable).parent
START_TIMEOUT_SECONDS = 60
RUN_TIMEOUT_SECONDS = 600
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,unsupported_method"

pytestmark = pytest.mark.slow


@pytest.fixture
def deployment(database_url: str, tmp_path: Path) -> tuple[dict[str, str], str]:
    """The server's environment and an admin's token, on a desk with some data."""
    instance = tmp_path / "instance"
    env = {
        **os.environ,
        "DESKCORE_INSTANCE_PATH": str(instance),
        "DESKCORE_DATABASE_URL": database_url,
        "DESKCORE_SECRET_KEY": "schemathesis",
        "DESKCORE_PLUGIN_MODULES": "",
    }
    app = create_app(
        {
            "DESKCORE_INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "DESKCORE_PLUGIN_MODULES": [],
        }
    )
    with app.app_context():
        seed_defaults("en")
        for name in sorted(registry().plugins):
            enable_plugin(name)
        admin = create_user(
            {
                "name": "Fuzz Admin",
                "email": "fuzz@desk.test",
                "password": "password",
                "role": "admin",
            }
        )
        for n in range(3):
            customer = create_customer(
                {"name": f"Cliente {n}", "phones": [{"number": f"+56 9 5555 000{n}"}]}
            )
            open_ticket({"customer_id": customer.id, "subject": f"Ticket {n}"}, admin)
        _, token = create_token(admin, "schemathesis")
        db.engine.dispose()
    return env, token


@pytest.fixture
def server(deployment, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """gunicorn with two workers on a free port: the base URL and the server's log."""
    env, _ = deployment
    log = tmp_path / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers=2",
                "--bind=127.0.0.1:0",
                "--no-control-socket",
                # Generated queries can be longer than gunicorn's default 4 KB request line.
                "--limit-request-line=0",
                "deskcore:create_app()",
            ],
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://127.0.0.1:{_port(process, log)}", log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _port(process: subprocess.Popen, log: Path) -> int:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        text = log.read_text() if log.exists() else ""
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}:\n{text}")
        listening = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", text)
        if listening and text.count("Booting worker") == 2:
            return int(listening.group(1))
        time.sleep(0.05)
    raise AssertionError(f"gunicorn did not start in {START_TIMEOUT_SECONDS} s")


def test_schemathesis_finds_no_failure_in_any_operation(deployment, server, tmp_path):
    _, token = deployment
    url, log = server
    run = subprocess.run(
        [
            str(BIN / "st"),
            "run",
            f"{url}/api/v1/openapi.json",
            "-H",
            f"Authorization: Bearer {token}",
            "-n",
            "20",
            "-c",
            CHECKS,
            "--seed",
            "1",
            "--no-color",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
    )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:] + log.read_text()[-20000:]
