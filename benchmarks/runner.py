"""One benchmark run: for each database and size, a working copy of the cached desk, then
service timings, the bare route, and the desk's HTTP figures with no plugin and with every
first-party plugin enabled."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from . import dataset, http_load, kb_search, service_timers
from .dataset import Desk
from .http_load import Request, Scenario
from .report import Figure
from .server import gunicorn

USER_AGENT = "deskcore-benchmark"
FIRST_PARTY = ("warranty", "contracts", "field_visits", "invoicing", "knowledge_base",
               "contact_center")  # fmt: skip
PLUGIN_SETS = ("none", "all")


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...]
    articles: int
    database_url: str | None
    repeats: int
    seconds: float
    warmup: float
    clients: int
    rebuild: bool = False


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(settings: Settings) -> list[Figure]:
    figures: list[Figure] = []
    servers = [None] + ([settings.database_url] if settings.database_url else [])
    for server_url in servers:
        for size in settings.sizes:
            started = time.monotonic()
            desk = dataset.ensure_desk(size, settings.articles, server_url, settings.rebuild)
            seconds = time.monotonic() - started
            log(f"{desk.kind} desk with {size:,} tickets ready in {seconds:.0f} s")
            with working_copy(desk) as copy:
                figures += measure_desk(copy, settings)
    return figures


# -- a throwaway copy of the cached desk --------------------------------------------------------


@contextmanager
def working_copy(desk: Desk) -> Iterator[Desk]:
    """The desk copied, so tickets created while measuring never grow the cached one."""
    with tempfile.TemporaryDirectory(prefix="deskcore-bench-") as folder:
        instance = Path(folder) / "instance"
        shutil.copytree(desk.instance, instance, symlinks=True)
        if desk.kind == "sqlite":
            url = f"sqlite:///{instance / 'desk.sqlite'}"
            yield replace(desk, database_url=url, instance=instance)
            return
        source = make_url(desk.database_url)
        target = source.set(database=f"{source.database}_run")
        admin = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{target.database}" TEMPLATE "{source.database}"'))
        try:
            url = target.render_as_string(hide_password=False)
            yield replace(desk, database_url=url, instance=instance)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            admin.dispose()


# -- measuring one desk -------------------------------------------------------------------------


def measure_desk(desk: Desk, settings: Settings) -> list[Figure]:
    figures: list[Figure] = []
    values = dataset.sample_values(desk)
    app = dataset.make_app(desk.database_url, desk.instance)
    with app.app_context():
        values |= _credentials(app, values["user_id"])
        actual = _ticket_count(app)
    where = {"tickets": desk.tickets, "database": desk.kind}
    env = _server_env(desk)
    work = desk.instance.parent

    log("bare Flask route")
    with gunicorn("benchmarks.bare_app:app", env, work / "bare.log") as server:
        bare = http_load.measure(
            server.port, [_bare_scenario()], settings.clients, settings.seconds, settings.warmup
        )
    figures += _http_figures(bare, where, "-")

    for plugins in PLUGIN_SETS:
        _set_plugins(app, plugins)
        log(f"desk over HTTP, {plugins} plugins")
        with gunicorn("deskcore:create_app()", env, work / f"desk-{plugins}.log") as server:
            outcomes = http_load.measure(
                server.port, _desk_scenarios(values, plugins), settings.clients,
                settings.seconds, settings.warmup,
            )  # fmt: skip
            peak = server.peak_rss_mb()
        figures += _http_figures(outcomes, where, plugins)
        figures.append(Figure("memory: worker peak RSS", "MiB", peak, peak, plugins=plugins,
                              samples=1, **where))  # fmt: skip

    log("service level, every first-party plugin enabled")
    _set_plugins(app, "all")
    for name, times in service_timers.time_services(app, values, settings.repeats).items():
        figures.append(Figure.of(name, "ms", times, plugins="all", **where))
    reports, missing = service_timers.time_reports(app, settings.repeats)
    if missing:
        log(missing)
    for row in reports:
        figures.append(
            Figure(f"report: {row['name']}", row.get("unit", "ms"), row["median"], row["p95"],
                   plugins="all", samples=settings.repeats, **where)
        )  # fmt: skip
    built = dataset.article_build_seconds(desk)
    if built:
        seconds = built["index_seconds"]
        figures.append(
            Figure(f"kb: index build ({desk.articles:,} articles)", "s", seconds, seconds,
                   samples=1, **where)
        )  # fmt: skip
    log(f"measured at {actual:,} tickets (cached desk: {desk.tickets:,})")
    dataset.dispose(app)
    return figures


def _ticket_count(app) -> int:
    from deskcore.extensions import db
    from deskcore.models import Ticket

    return db.session.scalar(select(func.count(Ticket.id)))


def _set_plugins(app, plugins: str) -> None:
    """Enable every first-party plugin ("all") or none, as `deskcore plugins` would."""
    from deskcore.demo import enable_first_party_plugins
    from deskcore.plugins import registry
    from deskcore.services.plugin_admin import dependency_order, disable_plugin

    with app.app_context():
        if plugins == "all":
            enable_first_party_plugins()
        else:
            enabled = registry().enabled_names()
            for name in reversed(dependency_order(enabled)):
                if registry().is_enabled(name):
                    disable_plugin(name, force=True)
    dataset.dispose(app)


def _credentials(app, user_id: int) -> dict:
    """A signed session cookie for the bench agent and an API token."""
    from flask import session
    from flask_login import login_user

    from deskcore.extensions import db
    from deskcore.models import User
    from deskcore.services.tokens import create_token

    user = db.session.get(User, user_id)
    _, token = create_token(user, "benchmark")
    environ = {"REMOTE_ADDR": "127.0.0.1"}
    with app.test_request_context(headers={"User-Agent": USER_AGENT}, environ_base=environ):
        login_user(user)
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return {"cookie": f"{app.config.get('SESSION_COOKIE_NAME', 'session')}={cookie}",
            "token": token}  # fmt: skip


def _server_env(desk: Desk) -> dict:
    return {
        **os.environ,
        "DESKCORE_INSTANCE_PATH": str(desk.instance),
        "DESKCORE_DATABASE_URL": desk.database_url,
        "DESKCORE_SECRET_KEY": "benchmark",
        "DESKCORE_LOAD_ENTRYPOINTS": "1",
    }


def _json_post(path: str, body: dict, headers: dict) -> Request:
    return Request(
        "POST", path, 201, json.dumps(body).encode(),
        {"Content-Type": "application/json", **headers},
    )  # fmt: skip


def _bare_scenario() -> Scenario:
    body = {"customer_id": 1, "subject": "No enciende", "channel": "phone"}
    return Scenario("bare Flask route", (_json_post("/bare", body, {}),))


def _desk_scenarios(values: dict, plugins: str) -> list[Scenario]:
    page = {"Cookie": values["cookie"], "User-Agent": USER_AGENT}
    api = {"Authorization": f"Bearer {values['token']}"}

    def gets(paths) -> tuple[Request, ...]:
        return tuple(Request("GET", path, 200, None, page) for path in paths)

    scenarios = [
        Scenario("ticket page", gets(f"/tickets/{n}" for n in values["ticket_numbers"])),
        Scenario("tickets list", gets(["/tickets/"])),
        Scenario(
            "tickets list, filtered by status",
            gets([f"/tickets/?status_id={values['pending_status_id']}"]),
        ),
        Scenario("customer lookup by phone", gets(f"/customers/?q={p}" for p in values["phones"])),
    ]
    if plugins == "all":
        scenarios.append(
            Scenario(
                "knowledge-base search",
                gets(f"/plugins/knowledge_base/search?q={quote(q)}" for q in kb_search.QUERIES),
            )
        )
    body = [
        {"customer_id": c, "subject": "No enciende", "channel": "phone"}
        for c in values["customer_ids"]
    ]
    scenarios.append(
        Scenario("ticket create (API)", tuple(_json_post("/api/v1/tickets", b, api) for b in body))
    )
    return scenarios


def _http_figures(outcomes, where: dict, plugins: str) -> list[Figure]:
    figures = []
    for outcome in outcomes:
        if outcome.error:
            raise SystemExit(f"benchmark stopped: {outcome.name}: {outcome.error}")
        name = f"http: {outcome.name}"
        figures.append(Figure.of(name, "ms", outcome.latencies_ms, plugins=plugins, **where))
        figures.append(
            Figure.of(f"{name} rate", "requests/s", outcome.rates(), plugins=plugins, **where)
        )
    return figures
