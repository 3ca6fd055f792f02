"""List pages cost a fixed number of queries, however many rows they show."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from deskcore.extensions import db
from deskcore.models import Queue

pytestmark = pytest.mark.plugins("dummy")


@contextmanager
def counting():
    """Count the SQL statements sent to the database inside the block."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def queries_for(client, url: str) -> int:
    with counting() as statements:
        response = client.get(url)
    assert response.status_code == 200, response.text
    return len(statements)


def _tickets(make_ticket, make_user, customer, count: int, queue) -> None:
    for _ in range(count):
        assignee = make_user("agent")
        make_ticket(customer_id=customer.id, assignee_id=assignee.id, queue_id=queue.id)


def test_ticket_list_queries_do_not_grow_with_rows(as_agent, make_ticket, make_customer, make_user):
    queue = Queue(name="Soporte")
    db.session.add(queue)
    db.session.commit()
    few_customer, many_customer = make_customer(), make_customer()
    _tickets(make_ticket, make_user, few_customer, 2, queue)
    few = queries_for(as_agent, "/tickets/")
    _tickets(make_ticket, make_user, many_customer, 12, queue)
    many = queries_for(as_agent, "/tickets/")
    assert many == few
    assert queries_for(as_agent, f"/tickets/?q=No&queue_id={queue.id}") <= few + 1


def test_customer_page_and_lookup_queries_do_not_grow(
    as_agent, make_ticket, make_customer, make_user
):
    queue = Queue(name="Soporte")
    db.session.add(queue)
    db.session.commit()
    customer = make_customer(name="Rita Poblete")
    _tickets(make_ticket, make_user, customer, 2, queue)
    few_page = queries_for(as_agent, f"/customers/{customer.id}")
    few_lookup = queries_for(as_agent, "/customers/?q=poblete")
    _tickets(make_ticket, make_user, customer, 12, queue)
    for n in range(10):
        make_customer(name=f"Poblete {n}")
    assert queries_for(as_agent, f"/customers/{customer.id}") == few_page
    assert queries_for(as_agent, "/customers/?q=poblete") == few_lookup


def test_ticket_pages_no_longer_load_the_consultant_list(as_agent, make_ticket, make_customer):
    for n in range(3):
        make_customer(name=f"Consultora {n}", kind="consultant")
    ticket = make_ticket()
    pages = (
        "/tickets/",
        f"/tickets/{ticket.number}",
        "/tickets/new",
        f"/tickets/{ticket.number}/edit",
    )
    for url in pages:
        with counting() as statements:
            assert as_agent.get(url).status_code == 200
        picks_consultants = [s for s in statements if re.search(r"WHERE.*customers\.kind", s, re.S)]
        assert picks_consultants == [], url


def test_the_ticket_page_reads_the_statuses_once(as_agent, make_ticket):
    ticket = make_ticket()
    with counting() as statements:
        assert as_agent.get(f"/tickets/{ticket.number}").status_code == 200
    status_lists = [
        s for s in statements if re.search(r"FROM statuses\s+WHERE statuses\.active", s)
    ]
    assert len(status_lists) == 1, status_lists


def test_the_ticket_list_reads_only_the_option_lists_its_filters_show(as_agent):
    with counting() as statements:
        assert as_agent.get("/tickets/").status_code == 200
    listed = {t for s in statements for t in re.findall(r"FROM (\w+)\s+WHERE \1\.active", s)}
    assert listed == {"ticket_types", "priorities", "statuses", "queues", "users"}
