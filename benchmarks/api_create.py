"""Ticket creation over the API, next to a bare Flask JSON route served the same way.

Both run under gunicorn (2 sync workers, --no-control-socket) on a fresh SQLite desk in a
temporary instance folder, one after the other in the same run; a separate load-generator
process posts JSON over fresh connections from several threads for a fixed time and counts
the answers. Prints requests/s of each and the API's share of the bare route's rate
(target: at least 40 %).

    .venv/bin/python benchmarks/api_create.py                  # 10 s per server, 8 clients
    .venv/bin/python benchmarks/api_create.py --seconds 20 --clients 16
    .venv/bin/python benchmarks/api_create.py --in-process     # CPU ms and SQL per request
    .venv/bin/python benchmarks/api_create.py --ceiling          # and hand-written SQL's rate
    DESKCORE_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python benchmarks/api_create.py              # on PostgreSQL (emptied first)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

TARGET_RATIO = 0.40
BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent

BARE_APP = """
from flask import Flask, request

app = Flask(__name__)


@app.post("/bare")
def bare():
    return {"received": request.get_json()}, 201
"""


def prepare(instance: Path, database_url: str) -> tuple[str, int]:
    """Migrate and seed the desk; returns an agent's token and a customer id."""
    from deskcore import create_app
    from deskcore.extensions import db
    from deskcore.migrate import upgrade_all
    from deskcore.services import create_customer
    from deskcore.services.setup import seed_defaults
    from deskcore.services.tokens import create_token
    from deskcore.services.users import create_user

    app = create_app(
        {"DESKCORE_INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": database_url}
    )
    if not database_url.startswith("sqlite"):
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade_all(app)
    with app.app_context():
        seed_defaults("en")
        agent = create_user(
            {"name": "Bench", "email": "bench@desk.test", "password": "bench-pass-1"}
        )
        customer = create_customer(
            {"name": "Juan Pérez", "phones": [{"number": "+56 9 8765 4321"}]}
        )
        _, token = create_token(agent, "benchmark")
        customer_id = customer.id
        db.engine.dispose()
    return token, customer_id


@contextmanager
def gunicorn(app_spec: str, env: dict, cwd: Path):
    """gunicorn with 2 workers on a free port; yields the port."""
    log = cwd / f"gunicorn-{app_spec.split(':')[0]}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers=2", "--bind=127.0.0.1:0", "--no-control-socket",
             app_spec],
            env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
            if found and log.read_text().count("Booting worker") == 2:
                break
            if process.poll() is not None:
                raise SystemExit(f"gunicorn failed:\n{log.read_text()}")
            time.sleep(0.05)
        else:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.5)  # let both workers import the app
        yield int(found.group(1))
    finally:
        process.terminate()
        process.wait(timeout=30)


def _post(port: int, request: bytes) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return int(answer[9:12])


def load(port: int, request: bytes, clients: int, seconds: float, queue) -> None:
    """The load generator (its own process): ``clients`` threads posting for ``seconds``."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < stop:
            status = _post(port, request)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((statuses, time.monotonic() - started))


def http_post(path: str, body: dict, headers: dict) -> bytes:
    payload = json.dumps(body).encode()
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close",
             "Content-Type: application/json", f"Content-Length: {len(payload)}"]  # fmt: skip
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def rate(port: int, request: bytes, clients: int, seconds: float, expect: int) -> float:
    """Requests/s answered with ``expect``, after a one-second warm-up."""
    for phase_seconds in (1.0, seconds):
        queue = multiprocessing.Queue()
        worker = multiprocessing.Process(
            target=load, args=(port, request, clients, phase_seconds, queue)
        )
        worker.start()
        statuses, elapsed = queue.get()
        worker.join()
    unexpected = {s: n for s, n in statuses.items() if s != expect}
    if unexpected:
        raise SystemExit(f"unexpected answers: {unexpected}")
    return statuses[expect] / elapsed


def in_process(instance: Path, database_url: str, token: str, body: dict, requests: int) -> None:
    """CPU time and SQL statements per request through Flask's test client (no server, no
    network): steadier than the rates on a shared machine. Best of three rounds."""
    import importlib.util

    from sqlalchemy import event

    from deskcore import create_app
    from deskcore.extensions import db

    spec = importlib.util.spec_from_loader("bare_app", loader=None)
    bare_module = importlib.util.module_from_spec(spec)
    exec(BARE_APP, bare_module.__dict__)
    app = create_app(
        {"DESKCORE_INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": database_url}
    )
    payload = json.dumps(body)
    auth = {"Authorization": f"Bearer {token}"}
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    for name, target, path, headers in (
        ("bare Flask JSON route", bare_module.app, "/bare", {}),
        ("POST /api/v1/tickets", app, "/api/v1/tickets", auth),
    ):
        client = target.test_client()

        def post(client=client, path=path, headers=headers) -> None:
            answer = client.post(
                path, data=payload, headers=headers, content_type="application/json"
            )
            assert answer.status_code == 201, answer.get_data(as_text=True)

        for _ in range(50):
            post()
        best = float("inf")
        statements.clear()
        for _ in range(3):
            started = time.process_time()
            for _ in range(requests):
                post()
            best = min(best, (time.process_time() - started) / requests)
        per_request = len(statements) / (3 * requests)
        print(f"{name:25} {best * 1000:6.2f} ms CPU/request  {per_request:4.1f} SQL/request")
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--in-process", type=int, nargs="?", const=500, metavar="REQUESTS",
        help="measure CPU and SQL per request in this process instead (default 500 requests)",
    )  # fmt: skip
    parser.add_argument(
        "--ceiling", action="store_true",
        help="also serve benchmarks/ceiling_app.py (hand-written SQL; SQLite only) and rate it",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="deskcore-bench-") as folder:
        work = Path(folder)
        instance = work / "instance"
        instance.mkdir()
        database_url = (
            os.environ.get("DESKCORE_DATABASE_URL") or f"sqlite:///{instance / 'desk.sqlite'}"
        )
        if database_url.startswith("postgresql://"):
            database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]
        token, customer_id = prepare(instance, database_url)
        body = {"customer_id": customer_id, "subject": "No enciende", "channel": "phone"}
        if args.in_process:
            in_process(instance, database_url, token, body, args.in_process)
            return
        (work / "bare_app.py").write_text(BARE_APP)
        python_path = [str(work), str(HERE.parent), os.environ.get("PYTHONPATH", "")]
        env = {
            **os.environ,
            "DESKCORE_INSTANCE_PATH": str(instance),
            "DESKCORE_DATABASE_URL": database_url,
            "DESKCORE_SECRET_KEY": "bench",
            "PYTHONPATH": os.pathsep.join(filter(None, python_path)),
        }
        with gunicorn("bare_app:app", env, work) as port:
            bare = rate(port, http_post("/bare", body, {}), args.clients, args.seconds, 201)
        auth = {"Authorization": f"Bearer {token}"}
        with gunicorn("deskcore.wsgi:app", env, work) as port:
            api = rate(
                port, http_post("/api/v1/tickets", body, auth), args.clients, args.seconds, 201
            )
        ceiling = None
        if args.ceiling and database_url.startswith("sqlite"):
            with gunicorn("benchmarks.ceiling_app:app", env, work) as port:
                request = http_post("/api/v1/ceiling/tickets", body, auth)
                ceiling = rate(port, request, args.clients, args.seconds, 201)
    ratio = api / bare
    print(f"bare Flask JSON route     {bare:8.0f} requests/s")
    print(f"POST /api/v1/tickets      {api:8.0f} requests/s (tickets opened)")
    verdict = "meets" if ratio >= TARGET_RATIO else "misses"
    print(f"ratio                     {ratio:8.1%}  ({verdict} the {TARGET_RATIO:.0%} target)")
    if ceiling is not None:
        share = ceiling / bare
        print(f"hand-written SQL ceiling  {ceiling:8.0f} requests/s ({share:.1%} of bare)")


if __name__ == "__main__":
    main()
