"""Ticket numbers stay distinct, consecutive and gapless when many workers open tickets at
once: several processes, each with its own app and several threads, all on one database.

A worker process is what gunicorn runs; a thread with its own app context is what a threaded
server runs. The openings start together behind a barrier so they really contend. Processes
are forked from a fork server that imported Deskcore once, so each starts in a moment.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

import deskcore_dummy.plugin as dummy
import pytest
from flask import Flask
from sqlalchemy import select

from deskcore import create_app
from deskcore.errors import PluginError
from deskcore.extensions import db
from deskcore.models import Sequence, Ticket, User
from deskcore.services.tickets import open_ticket
from deskcore.testing import TEST_DATABASE_ENV

ON_POSTGRES = bool(os.environ.get(TEST_DATABASE_ENV))
#: Settings a worker process needs to build its own app on the test's database.
SHARED_CONFIG = (
    "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY",
    "DESKCORE_INSTANCE_PATH",
    "DESKCORE_PLUGIN_MODULES",
)
BARRIER_TIMEOUT_SECONDS = 120
#: Imported once by the fork server instead of by every worker process. (Python 3.11's fork
#: server does not get pytest's sys.path, so this test module itself cannot be among them.)
PRELOAD = ["deskcore", "deskcore.services"]


@dataclass
class Outcome:
    """What one worker process did: the numbers it was given and how many openings failed."""

    numbers: list[int]
    failures: int


def open_tickets_in_process(
    config: dict, customer_id: int, agent_id: int, threads: int, per_thread: int, barrier, fail
) -> Outcome:
    """Body of a worker process: build an app, then open tickets from ``threads`` threads.

    With ``fail`` the dummy plugin raises in ``ticket_opened`` in this process (its RAISE
    table is per process), after the ticket has taken its number.
    """
    if fail:
        dummy.RAISE["ticket_opened"] = RuntimeError("dummy plugin failed on purpose")
    app = create_app(config)

    def one_thread(index: int) -> tuple[list[int], int]:
        numbers, failures = [], 0
        with app.app_context():
            agent = db.session.get(User, agent_id)
            barrier.wait(BARRIER_TIMEOUT_SECONDS)
            for n in range(per_thread):
                data = {"customer_id": customer_id, "subject": f"pid {os.getpid()} #{index}.{n}"}
                try:
                    numbers.append(open_ticket(data, agent).number)
                except PluginError:
                    failures += 1
        return numbers, failures

    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(one_thread, range(threads)))
    with app.app_context():
        db.engine.dispose()
    numbers = [number for thread_numbers, _ in results for number in thread_numbers]
    return Outcome(numbers, sum(f for _, f in results))


def open_concurrently(
    app: Flask, customer_id: int, agent_id: int, *, failing: list[bool], threads: int, each: int
) -> list[Outcome]:
    """Open ``each`` tickets per thread in one process per entry of ``failing``, all at once."""
    config = {key: app.config[key] for key in SHARED_CONFIG}
    db.session.commit()  # end this test's own transaction: it must see the workers' rows
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    with (
        context.Manager() as manager,
        ProcessPoolExecutor(len(failing), mp_context=context) as pool,
    ):
        barrier = manager.Barrier(len(failing) * threads)
        futures = [
            pool.submit(
                open_tickets_in_process,
                config,
                customer_id,
                agent_id,
                threads,
                each,
                barrier,
                fail,
            )
            for fail in failing
        ]
        outcomes = [f.result() for f in futures]
    assert_interleaved(outcomes)
    return outcomes


def assert_interleaved(outcomes: list[Outcome]) -> None:
    """The processes took turns with the numbers: they contended rather than ran in turn."""
    owner = {number: i for i, outcome in enumerate(outcomes) for number in outcome.numbers}
    in_order = [owner[number] for number in sorted(owner)]
    switches = sum(a != b for a, b in itertools.pairwise(in_order))
    processes_with_numbers = sum(1 for outcome in outcomes if outcome.numbers)
    assert switches > processes_with_numbers - 1


def stored_numbers() -> list[int]:
    return sorted(db.session.scalars(select(Ticket.number)))


def assert_gapless(outcomes: list[Outcome], expected: int) -> None:
    """Exactly ``expected`` tickets were stored, numbered 1..expected, each handed out once."""
    handed_out = sorted(n for o in outcomes for n in o.numbers)
    assert handed_out == list(range(1, expected + 1))
    assert stored_numbers() == handed_out
    assert db.session.get(Sequence, "tickets").last_value == expected


postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason=f"needs PostgreSQL: set {TEST_DATABASE_ENV} (SQLite runs the smaller variant below)",
)


@pytest.mark.slow
@postgres_only
@pytest.mark.plugins("dummy")
def test_200_tickets_opened_concurrently_get_200_consecutive_numbers(app, agent, make_customer):
    outcomes = open_concurrently(
        app, make_customer().id, agent.id, failing=[False] * 4, threads=5, each=10
    )

    assert sum(o.failures for o in outcomes) == 0
    assert_gapless(outcomes, 200)


@pytest.mark.slow
@postgres_only
@pytest.mark.plugins("dummy")
def test_openings_failing_in_a_plugin_hook_leave_no_gap_in_the_numbers(app, agent, make_customer):
    outcomes = open_concurrently(
        app, make_customer().id, agent.id, failing=[False, True, False, True], threads=5, each=10
    )

    assert [o.failures for o in outcomes] == [0, 50, 0, 50]
    assert_gapless(outcomes, 100)


@pytest.mark.slow
@pytest.mark.plugins("dummy")
def test_on_sqlite_too_concurrent_openings_never_share_or_skip_a_number(app, agent, make_customer):
    if ON_POSTGRES:
        pytest.skip("the PostgreSQL variants above run 200 openings")
    outcomes = open_concurrently(
        app, make_customer().id, agent.id, failing=[False, True, False], threads=3, each=8
    )

    assert [o.failures for o in outcomes] == [0, 24, 0]
    assert_gapless(outcomes, 48)
