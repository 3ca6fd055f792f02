"""SQLite's writers take turns on a write lock: when a unit of work takes it, and what a
unit that defers it to its first write (opening a ticket) may do meanwhile."""

from __future__ import annotations

import os
import sqlite3
import threading
import time

import deskcore_dummy.plugin as dummy
import pytest
from sqlalchemy import select

from deskcore.database import current_write_lock
from deskcore.extensions import db
from deskcore.models import Customer, Sequence, Ticket, User
from deskcore.services import create_customer, open_ticket
from deskcore.services.unit_of_work import unit_of_work
from deskcore.testing import TEST_DATABASE_ENV

sqlite_only = pytest.mark.skipif(
    bool(os.environ.get(TEST_DATABASE_ENV)), reason="PostgreSQL needs no write lock"
)
WAIT_SECONDS = 10


def _sqlite_write_lock_is_free(app) -> bool:
    """Whether another connection could begin writing right now (no waiting)."""
    other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@sqlite_only
def test_a_unit_of_work_takes_the_write_lock_when_it_begins(app):
    with unit_of_work():
        assert current_write_lock.get().held
        db.session.scalar(select(Customer.id).limit(1))
        assert not _sqlite_write_lock_is_free(app)
    assert current_write_lock.get() is None
    assert _sqlite_write_lock_is_free(app)


@sqlite_only
def test_a_deferring_unit_reads_without_the_lock_and_takes_it_at_its_first_write(app):
    with unit_of_work(defer_lock=True):
        lock = current_write_lock.get()
        db.session.scalar(select(Customer.id).limit(1))
        assert not lock.held
        assert _sqlite_write_lock_is_free(app)
        db.session.add(Sequence(name="test-counter", last_value=7))
        db.session.flush()
        assert lock.held
        assert not _sqlite_write_lock_is_free(app)
    assert _sqlite_write_lock_is_free(app)
    assert db.session.get(Sequence, "test-counter").last_value == 7


@sqlite_only
def test_a_nested_unit_that_does_not_defer_takes_the_lock_when_it_begins(app):
    with unit_of_work(defer_lock=True):
        lock = current_write_lock.get()
        db.session.scalar(select(Customer.id).limit(1))
        with unit_of_work():
            assert lock.held
            assert not _sqlite_write_lock_is_free(app)
            create_customer({"name": "Luis Soto", "phones": [{"number": "+56 2 2345 6789"}]})
    assert db.session.scalar(select(Customer.id).where(Customer.name == "Luis Soto"))


@sqlite_only
def test_a_deferring_unit_that_fails_releases_the_lock_and_keeps_nothing(app):
    with pytest.raises(RuntimeError), unit_of_work(defer_lock=True):
        db.session.add(Sequence(name="test-counter", last_value=7))
        db.session.flush()
        raise RuntimeError("boom")
    assert _sqlite_write_lock_is_free(app)
    assert db.session.get(Sequence, "test-counter") is None


@sqlite_only
@pytest.mark.plugins("dummy")
def test_opening_a_ticket_checks_its_input_while_another_worker_writes(app, agent, make_customer):
    """The opening's reads and its ``ticket_opening`` hook run while another unit of work
    holds the lock; it waits for the lock only to take its number, then gets the next one."""
    customer_id, agent_id = make_customer().id, agent.id
    first = open_ticket({"customer_id": customer_id, "subject": "Primero"}, agent).number
    db.session.remove()
    writer_holds, opener_checked = threading.Event(), threading.Event()
    opened: list[int] = []
    dummy.CALLS.clear()

    def writer() -> None:
        with app.app_context(), unit_of_work():
            create_customer({"name": "Otro Cliente", "phones": [{"number": "+56 2 2999 0000"}]})
            writer_holds.set()
            opener_checked.wait(WAIT_SECONDS)

    def opener() -> None:
        with app.app_context():
            agent = db.session.get(User, agent_id)
            ticket = open_ticket({"customer_id": customer_id, "subject": "Otro"}, agent)
            opened.append(ticket.number)

    threads = [threading.Thread(target=writer), threading.Thread(target=opener)]
    threads[0].start()
    try:
        assert writer_holds.wait(WAIT_SECONDS)
        threads[1].start()
        deadline = time.monotonic() + WAIT_SECONDS
        while not any(name == "ticket_opening" for name, _ in dummy.CALLS):
            assert time.monotonic() < deadline, "the opening waited for the writer to finish"
            time.sleep(0.01)
        assert opened == []  # its number waits for the writer's lock
    finally:
        opener_checked.set()
        for thread in threads:
            if thread.is_alive():
                thread.join(WAIT_SECONDS)
    assert opened == [first + 1]
    assert db.session.scalar(select(Ticket.subject).where(Ticket.number == first + 1)) == "Otro"
