"""One benchmark run: for each database and size, a working copy of the cached desk, then
the HTTP figures (bare route, desk with no plugin and with every first-party plugin), then
the service-level and report timings."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import func, select, text, update
from sqlalchemy.engine import make_url

from . import dataset, http_load, kb_search, service_timers
from .dataset import Desk
from .http_load import Request, Scenario
from .report import CPU_UNIT, Figure
from .server import gunicorn

USER_AGENT = "deskcore-benchmark"
#: What agents type into the ticket list's search: words of many subjects, a customer's
#: surname, and text no ticket has (the worst case for an index: nothing to stop at).
TEXT_SEARCHES = ("enciende", "batería", "González", "pantalla rota", "garantía vencida")
PLUGIN_SETS = ("none", "all")
#: Each HTTP figure is measured in rounds of about this many seconds, alternating sets.
ROUND_SECONDS = 2.0


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
    skip_sqlite: bool = False


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(settings: Settings) -> list[Figure]:
    figures: list[Figure] = []
    servers = [] if settings.skip_sqlite else [None]
    servers += [settings.database_url] if settings.database_url else []
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
    with tempfile.TemporaryDirectory(prefix="deskcore-benchmark-run-") as folder:
        instance = Path(folder) / "instance"
        shutil.copytree(desk.instance, instance, symlinks=True)
        # Written out now: otherwise the kernel writes the copy's gigabytes back while the
        # figures are measured, and the first fsync of a commit waits for all of it.
        os.sync()
        if desk.kind == "sqlite":
            url = f"sqlite:///{instance / 'desk.sqlite'}"
            yield replace(desk, database_url=url, instance=instance)
            return
        source = make_url(desk.database_url)
        target = source.set(database=f"{source.database}_run")
        with dataset.postgres_admin(desk.database_url) as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{target.database}" TEMPLATE "{source.database}"'))
        try:
            url = target.render_as_string(hide_password=False)
            yield replace(desk, database_url=url, instance=instance)
        finally:
            with dataset.postgres_admin(desk.database_url) as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))


# -- measuring one desk -------------------------------------------------------------------------


def measure_desk(desk: Desk, settings: Settings) -> list[Figure]:
    figures: list[Figure] = []
    values = dataset.sample_values(desk)
    app = dataset.make_app(desk.database_url, desk.instance)
    _enable_all_properly(app)
    with app.app_context():
        values |= _credentials(app, values["user_id"])
        actual = _ticket_count(app)
    where = {"tickets": desk.tickets, "database": desk.kind}
    env = _server_env(desk)
    work = desk.instance.parent

    log("HTTP: bare route and desk (no plugin / every plugin) side by side, in rounds")
    with ExitStack() as servers:
        bare = servers.enter_context(gunicorn("benchmarks.bare_app:app", env, work / "bare.log"))
        server = servers.enter_context(gunicorn("deskcore.wsgi:app", env, work / "desk.log"))
        ceiling = None
        if desk.kind == "sqlite":  # the hand-written route speaks sqlite3 only
            ceiling = servers.enter_context(
                gunicorn("benchmarks.ceiling_app:app", env, work / "ceiling.log")
            )
        servers_by_role = {"bare": bare, "desk": server, "ceiling": ceiling}
        outcomes = _http_rounds(app, servers_by_role, values, settings)
        peak = server.peak_rss_mb()
    for (plugins, _name), found in outcomes.items():
        figures += _http_figures(found, where, plugins)
    figures.append(Figure("memory: worker peak RSS", "MiB", peak, peak, plugins="none, all",
                          samples=1, **where))  # fmt: skip

    log("service level, every first-party plugin enabled")
    _set_plugins(app, "all")
    for name, times in service_timers.time_services(app, values, settings.repeats).items():
        figures.append(Figure.of(name, "ms", times, plugins="all", **where))
    reports, missing = service_timers.time_reports(app, settings.repeats)
    if missing:
        log(missing)
    for row in reports:
        name = f"report: {row['name'].removeprefix('report ')}"
        figures.append(
            Figure(name, row.get("unit", "ms"), row["median"], row["p95"], plugins="all",
                   samples=settings.repeats, **where)
        )  # fmt: skip
    seconds = dataset.article_build_seconds(desk)
    if seconds is not None:
        figures.append(
            Figure(f"kb: index build ({desk.articles:,} articles)", "s", seconds, seconds,
                   samples=1, **where)
        )  # fmt: skip
    log(f"done: the desk held {actual:,} tickets when measuring began")
    dataset.dispose(app)
    return figures


def _ticket_count(app) -> int:
    from deskcore.extensions import db
    from deskcore.models import Ticket

    return db.session.scalar(select(func.count(Ticket.id)))


def _http_rounds(app, servers: dict, values: dict, settings: Settings):
    """Outcomes by (plugin set, figure), measured in alternating rounds: a drift in the
    machine's load (other processes) then weighs on every figure alike, not on one.

    ``servers``: the bare route's, the desk's, and the hand-written-SQL ceiling's (or None)."""
    rounds = max(1, round(settings.seconds / ROUND_SECONDS))
    seconds = settings.seconds / rounds
    found: dict[tuple[str, str], list] = {}
    for number in range(rounds):
        warmup = settings.warmup if number == 0 else 0
        floors = [(servers["bare"], _bare_scenario())]
        if servers["ceiling"]:
            floors.append((servers["ceiling"], _ceiling_scenario(values)))
        for server, scenario in floors:
            for outcome in _measure(server, [scenario], settings, seconds, warmup):
                found.setdefault(("-", outcome.name), []).append(outcome)
        # Every other round in the opposite order, so neither set always follows the idle desk.
        for plugins in PLUGIN_SETS if number % 2 == 0 else PLUGIN_SETS[::-1]:
            _set_plugins(app, plugins)
            scenarios = _desk_scenarios(values, plugins)
            for outcome in _measure(servers["desk"], scenarios, settings, seconds, warmup):
                found.setdefault((plugins, outcome.name), []).append(outcome)
        log(f"round {number + 1} of {rounds} done")
    return found


def _measure(server, scenarios: list[Scenario], settings: Settings, seconds, warmup) -> list:
    pids = tuple(server.worker_pids())
    return http_load.measure(server.port, scenarios, settings.clients, seconds, warmup, pids)


def _enable_all_properly(app) -> None:
    """Enable every first-party plugin through the service (runs migrations added since)."""
    from deskcore.demo import enable_first_party_plugins

    with app.app_context():
        enable_first_party_plugins()
    dataset.dispose(app)


def _set_plugins(app, plugins: str) -> None:
    """Switch every first-party plugin on ("all") or off ("none") in one UPDATE.

    ``_enable_all_properly`` ran the plugins' migrations and enable hooks first, so this
    flips only the state the workers read at the start of each request.
    """
    from deskcore.demo import FIRST_PARTY_PLUGINS
    from deskcore.extensions import db
    from deskcore.models import PluginState

    with app.app_context():
        db.session.execute(
            update(PluginState)
            .where(PluginState.name.in_(FIRST_PARTY_PLUGINS))
            .values(enabled=plugins == "all")
        )
        db.session.commit()
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


def _create_bodies(values: dict) -> list[dict]:
    return [
        {"customer_id": c, "subject": "No enciende", "channel": "phone"}
        for c in values["customer_ids"]
    ]


def _ceiling_scenario(values: dict) -> Scenario:
    """Tickets opened by ``benchmarks/ceiling_app.py``'s hand-written SQL: the best rate any
    route that really opens a ticket reaches on this stack (see that module)."""
    api = {"Authorization": f"Bearer {values['token']}"}
    path = "/api/v1/ceiling/tickets"
    requests = tuple(_json_post(path, body, api) for body in _create_bodies(values))
    return Scenario("ticket create (hand-written SQL ceiling)", requests)


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
        Scenario(
            "tickets list, text search",
            gets(f"/tickets/?q={quote(q)}" for q in TEXT_SEARCHES),
        ),
    ]
    if plugins == "all":
        scenarios.append(
            Scenario(
                "knowledge-base search",
                gets(f"/plugins/knowledge_base/search?q={quote(q)}" for q in kb_search.QUERIES),
            )
        )
    creates = tuple(_json_post("/api/v1/tickets", body, api) for body in _create_bodies(values))
    scenarios.append(Scenario("ticket create (API)", creates))
    return scenarios


def _http_figures(outcomes: list, where: dict, plugins: str) -> list[Figure]:
    """Latency and rate of one HTTP figure from all its rounds."""
    for outcome in outcomes:
        if outcome.error:
            raise SystemExit(f"benchmark stopped: {outcome.name}: {outcome.error}")
    name = f"http: {outcomes[0].name}"
    latencies = [ms for outcome in outcomes for ms in outcome.latencies_ms]
    rates = [rate for outcome in outcomes for rate in outcome.rates()]
    cpu = [o.worker_cpu_ms_per_request for o in outcomes if o.worker_cpu_ms_per_request]
    figures = [
        Figure.of(name, "ms", latencies, plugins=plugins, **where),
        Figure.of(f"{name} rate", "requests/s", rates, plugins=plugins, **where),
    ]
    if cpu:
        figures.append(Figure.of(f"{name} worker CPU", CPU_UNIT, cpu, plugins=plugins, **where))
    return figures
