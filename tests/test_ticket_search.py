"""The ticket list: filters, quick views, sort and cursor pages."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from deskcore.errors import ValidationError
from deskcore.extensions import db
from deskcore.models import CommitmentType, Queue, Status
from deskcore.schemas import TICKET_SORTS
from deskcore.services import add_commitment, change_status, close_ticket, reassign_ticket
from deskcore.services.ticket_search import SORTS, parse_filters, search_tickets
from deskcore.services.timeline import timeline


def numbers(args: dict, user=None) -> list[int]:
    return [t.number for t in search_tickets(parse_filters(args), user).tickets]


def test_every_sort_order_has_a_column():
    assert set(SORTS) == set(TICKET_SORTS)


def test_newest_first_by_default(make_ticket):
    for _ in range(3):
        make_ticket()
    assert numbers({}) == [3, 2, 1]
    assert numbers({"sort": "number"}) == [1, 2, 3]


def test_cursor_pages_cover_every_ticket_once(make_ticket):
    for _ in range(7):
        make_ticket()
    seen, cursor = [], None
    while True:
        page = search_tickets(
            parse_filters({"limit": "3", **({"cursor": cursor} if cursor else {})})
        )
        seen += [t.number for t in page.tickets]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [7, 6, 5, 4, 3, 2, 1]


def test_cursor_pages_by_received_date_with_ties(make_ticket):
    same = "2026-01-10T12:00:00Z"
    for _ in range(4):
        make_ticket(received_at=same)
    first = search_tickets(parse_filters({"sort": "received_at", "limit": "2"}))
    second = search_tickets(
        parse_filters({"sort": "received_at", "limit": "2", "cursor": first.next_cursor})
    )
    assert [t.number for t in first.tickets + second.tickets] == [1, 2, 3, 4]


def test_filters_by_date_range_reference_and_customer(make_ticket, make_customer):
    ana = make_customer(name="Ana")
    make_ticket(received_at="2026-01-01T10:00:00Z", order_ref="P-1")
    make_ticket(received_at="2026-02-01T10:00:00Z", customer_id=ana.id)
    make_ticket(received_at="2026-03-01T10:00:00Z", dispatch_ref="D-9")
    assert numbers({"received_from": "2026-01-15", "received_to": "2026-03-01"}) == [3, 2]
    assert numbers({"order_ref": "P-1"}) == [1]
    assert numbers({"dispatch_ref": "D-9"}) == [3]
    assert numbers({"customer_id": str(ana.id)}) == [2]


def test_text_finds_number_subject_and_customer(make_ticket, make_customer):
    make_ticket(subject="Refrigerador gotea")
    make_ticket(customer_id=make_customer(name="Rosa Núñez").id)
    make_ticket(serial_number="SN-77")
    assert numbers({"q": "#2"}) == [2]
    assert numbers({"q": "gotea"}) == [1]
    assert numbers({"q": "Núñez"}) == [2]
    assert numbers({"q": "SN-77"}) == [3]
    assert numbers({"q": "100%_"}) == []


def test_quick_views(make_ticket, agent, supervisor):
    mine, unassigned, waiting, closed = (make_ticket() for _ in range(4))
    reassign_ticket(mine.number, {"assignee_id": agent.id}, agent)
    reassign_ticket(waiting.number, {"assignee_id": supervisor.id}, agent)
    on_hold = db.session.scalar(select(Status).where(Status.code == "on_hold"))
    change_status(waiting.number, {"status_id": on_hold.id}, agent)
    close_ticket(closed.number, {"resolution": "ok"}, agent)
    assert numbers({"view": "mine"}, agent) == [mine.number]
    assert numbers({"view": "unassigned"}) == [unassigned.number]
    assert numbers({"view": "waiting"}) == [waiting.number]
    assert numbers({"view": "open"}) == [waiting.number, unassigned.number, mine.number]
    assert numbers({"status_category": "closed"}) == [closed.number]


def test_overdue_commitments_view(make_ticket, agent):
    late, on_time = make_ticket(), make_ticket()
    kind = db.session.scalar(select(CommitmentType))
    now = datetime.now(UTC)
    for ticket, due in ((late, now - timedelta(hours=1)), (on_time, now + timedelta(days=1))):
        add_commitment(
            ticket.number,
            {"type_id": kind.id, "responsible_id": agent.id, "due_at": due.isoformat()},
            agent,
        )
    assert numbers({"view": "overdue_commitments"}) == [late.number]


def test_queue_filter(make_ticket, agent):
    queue = Queue(name="Terreno")
    db.session.add(queue)
    db.session.commit()
    make_ticket()
    make_ticket(queue_id=queue.id)
    assert numbers({"queue_id": str(queue.id)}) == [2]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "500"}, "limit"),
        ({"sort": "subject"}, "sort"),
        ({"view": "all"}, "view"),
        ({"coverage": "free"}, "coverage"),
        ({"received_from": "2026-05-01", "received_to": "2026-04-01"}, "received_from"),
        ({"received_from": "yesterday"}, "received_from"),
        ({"cursor": "garbage"}, "cursor"),
        ({"cursor": "WyJ4IiwgMV0"}, "cursor"),
    ],
)
def test_bad_filters_name_the_parameter(app, args, field):
    with pytest.raises(ValidationError) as exc:
        search_tickets(parse_filters(args))
    assert field in exc.value.messages


def test_timeline_merges_everything_in_order(make_ticket, agent):
    from deskcore.services import add_comment, log_time

    ticket = make_ticket()
    add_comment(ticket.number, {"body": "Llamé al cliente"}, agent)
    log_time(ticket.number, {"minutes": 10}, agent)
    kind = db.session.scalar(select(CommitmentType))
    add_commitment(
        ticket.number,
        {"type_id": kind.id, "responsible_id": agent.id, "due_at": "2030-01-01T00:00Z"},
        agent,
    )
    close_ticket(ticket.number, {"resolution": "Resuelto por teléfono"}, agent)
    kinds = [(e.kind, getattr(e.item, "action", None)) for e in timeline(ticket)]
    assert kinds == [
        ("history", "opened"),
        ("comment", None),
        ("time", None),
        ("history", "commitment"),
        ("commitment", None),
        ("history", "updated"),
        ("history", "closed"),
    ]
