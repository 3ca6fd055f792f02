"""Opening a ticket stays cheap without loosening a rule: the classification defaults come
from each worker's cache, which a change in any worker invalidates through the database."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import event, select

from deskcore import create_app
from deskcore.database import WRITE_LOCK_SUFFIX
from deskcore.extensions import db
from deskcore.models import Customer, Priority, Status, Ticket, TicketType, User
from deskcore.services import open_ticket
from deskcore.services.classifications import create_row, update_row
from deskcore.services.tickets_base import default
from deskcore.services.unit_of_work import unit_of_work


def counting(engine):
    statements: list[str] = []
    event.listen(
        engine, "before_cursor_execute", lambda conn, cur, stmt, *args: statements.append(stmt)
    )
    return statements


def open_one(agent, customer):
    return open_ticket({"customer_id": customer.id, "subject": "No enciende"}, agent)


def test_a_new_default_priority_applies_to_the_next_ticket(app, agent, make_customer):
    customer = make_customer()
    first = open_one(agent, customer)
    other = db.session.scalar(select(Priority).where(Priority.id != first.priority_id))
    update_row("priorities", other.id, {"name": other.name, "is_default": True})
    assert open_one(agent, customer).priority_id == other.id


def test_a_default_changed_by_another_worker_applies_here(app, agent, make_customer):
    customer = make_customer()
    first = open_one(agent, customer)
    other = db.session.scalar(select(TicketType).where(TicketType.id != first.type_id))
    worker = create_app(app.config)  # another worker on the same database, its own cache
    with worker.app_context():
        row = db.session.get(TicketType, other.id)
        row.is_default = True
        for current in db.session.scalars(select(TicketType).where(TicketType.id != row.id)):
            current.is_default = False
        db.session.commit()
        db.engine.dispose()
    assert open_one(agent, customer).type_id == other.id


def test_a_deactivated_default_status_is_not_given_from_the_cache(app, agent, make_customer):
    customer = make_customer()
    create_row("statuses", {"name": "Recibido", "code": "received", "category": "open"})
    first = open_one(agent, customer)
    with unit_of_work():
        db.session.get(Status, first.status_id).active = False
    second = open_one(agent, customer)
    assert (second.status.code, second.status.category) == ("received", "open")


def test_hooks_see_the_cached_defaults_loaded(app, agent, make_customer):
    customer = make_customer()
    agent_id, customer_id = agent.id, customer.id
    open_one(agent, customer)
    db.session.remove()  # the next request: a new session, defaults from the cache
    ticket = open_one(db.session.get(User, agent_id), db.session.get(Customer, customer_id))
    assert (ticket.type.name, ticket.priority.name, ticket.status.category) == (
        db.session.get(TicketType, ticket.type_id).name,
        db.session.get(Priority, ticket.priority_id).name,
        "open",
    )


def test_on_sqlite_a_unit_of_work_holds_the_lock_file_beside_the_database(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the lock file is for SQLite")
    path = db.engine.url.database + WRITE_LOCK_SUFFIX
    probe = (
        "import fcntl, os, sys\n"
        "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
        "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept OSError:\n"
        "    sys.exit(3)\n"
    )

    def other_process_can_lock() -> bool:
        return subprocess.run([sys.executable, "-c", probe, path]).returncode == 0

    with unit_of_work():
        assert not other_process_can_lock()
    assert other_process_can_lock()


def test_the_opened_ticket_is_saved_like_any_loaded_row_afterwards(app, agent, make_customer):
    customer = make_customer()
    earlier = open_one(agent, customer)
    ticket = open_ticket(
        {"customer_id": customer.id, "subject": "Otra vez", "related": [earlier.number]}, agent
    )
    assert [t.number for t in ticket.related] == [earlier.number]
    with unit_of_work():
        ticket.subject = "Cambiado"
    ticket_id, earlier_number = ticket.id, earlier.number
    db.session.remove()
    stored = db.session.get(Ticket, ticket_id)
    assert (stored.subject, [t.number for t in stored.related]) == ("Cambiado", [earlier_number])
    assert (stored.coverage, stored.channel, stored.created_at is not None) == (
        "billable",
        "phone",
        True,
    )


def test_a_default_changed_earlier_in_the_same_unit_of_work_is_seen_and_not_kept(
    app, agent, make_customer
):
    customer = make_customer()
    first = open_one(agent, customer)
    other = db.session.scalar(select(Priority).where(Priority.id != first.priority_id))
    with pytest.raises(RuntimeError), unit_of_work():
        old_default, new_default = (
            db.session.get(Priority, p) for p in (first.priority_id, other.id)
        )
        old_default.is_default, new_default.is_default = False, True  # not flushed yet
        assert default(Priority) is new_default
        raise RuntimeError("changed my mind")
    assert open_one(agent, customer).priority_id == first.priority_id
