"""Demo data is realistic and consistent: the desk works on it exactly as on real data."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from deskcore import demo
from deskcore.extensions import db
from deskcore.models import (
    Comment,
    Customer,
    CustomerNameToken,
    HistoryEvent,
    Phone,
    Priority,
    Queue,
    Sequence,
    Status,
    StatusCategory,
    Ticket,
    TicketType,
    TimeEntry,
    User,
)
from deskcore.normalize import fold, name_tokens, national_id_key, phone_digits
from deskcore.services import find_customers, open_ticket


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_numbers_continue_the_ticket_sequence_without_gaps(app, make_ticket):
    make_ticket()
    result = demo.fill_demo(customers=30, tickets=120, seed=7)
    numbers = list(db.session.scalars(select(Ticket.number).order_by(Ticket.number)))
    assert numbers == list(range(1, 122))
    assert (result.first_number, result.last_number) == (2, 121)
    assert db.session.get(Sequence, "tickets").last_value == 121


def test_ticket_opened_after_the_demo_gets_the_next_number(app, agent):
    demo.fill_demo(customers=10, tickets=40, seed=1)
    customer_id = db.session.scalar(select(Customer.id).limit(1))
    ticket = open_ticket({"customer_id": customer_id, "subject": "Otra falla"}, agent)
    assert ticket.number == 41


def test_demo_counts_match_what_was_asked(app):
    progress = []
    result = demo.fill_demo(customers=25, tickets=60, seed=3, progress=progress.append)
    assert (result.customers, result.tickets) == (25, 60)
    assert (count(Customer), count(Ticket)) == (25, 60)
    assert sum(progress) == 85
    assert count(Comment) > 0 and count(TimeEntry) > 0


def test_demo_customers_carry_the_search_keys_the_services_compute(app):
    demo.fill_demo(customers=40, tickets=0, seed=5)
    for customer in db.session.scalars(select(Customer)):
        assert customer.name_folded == fold(customer.name)
        assert customer.national_id_key == national_id_key(customer.national_id)
        tokens = {t.token for t in customer.name_tokens}
        assert tokens == name_tokens(customer.name)
        assert customer.phones
        for phone in customer.phones:
            assert phone.digits == phone_digits(phone.number)
            assert phone.digits_reversed == phone.digits[::-1]
    assert count(CustomerNameToken) >= 40 and count(Phone) >= 40


def test_demo_customers_are_found_by_phone_name_and_national_id(app):
    demo.fill_demo(customers=50, tickets=0, seed=11)
    customer = db.session.scalar(select(Customer).where(Customer.kind == "customer").limit(1))
    mobile = customer.phones[0].digits[-8:]
    assert customer in find_customers(f"{mobile[:4]} {mobile[4:]}")
    assert customer in find_customers(" ".join(reversed(customer.name.split()[:2])))
    assert customer in find_customers(customer.national_id.replace(".", ""))


def test_every_ticket_has_its_history_and_finished_ones_their_resolution(app):
    demo.fill_demo(customers=20, tickets=200, seed=13)
    now = datetime.now(UTC)
    opened = dict(
        db.session.execute(
            select(HistoryEvent.ticket_id, func.count())
            .where(HistoryEvent.action == "opened")
            .group_by(HistoryEvent.ticket_id)
        ).all()
    )
    finished = 0
    for ticket in db.session.scalars(select(Ticket)):
        assert opened[ticket.id] == 1
        assert now - timedelta(days=demo.HISTORY_DAYS + 3) < ticket.received_at <= now
        category = ticket.status.category_enum
        if category.is_finished:
            finished += 1
            assert ticket.resolution and ticket.received_at <= ticket.resolved_at <= now
            status_events = [
                e
                for e in db.session.scalars(select(HistoryEvent).filter_by(ticket_id=ticket.id))
                if e.action in ("status", "closed")
            ]
            assert status_events[-1].new_value == ticket.status.name
        else:
            assert ticket.resolved_at is None and ticket.resolution == ""
        if category == StatusCategory.CLOSED:
            assert ticket.resolved_at <= ticket.closed_at <= now
        else:
            assert ticket.closed_at is None
    assert finished > 100
    coverages = set(db.session.scalars(select(Ticket.coverage)))
    assert coverages == {"billable", "courtesy"}


def test_demo_reuses_classifications_and_never_duplicates_staff(app):
    before = [count(model) for model in (Status, TicketType, Priority)]
    demo.fill_demo(customers=5, tickets=10, seed=1)
    queues, users = count(Queue), count(User)
    demo.fill_demo(customers=5, tickets=10, seed=2)
    assert [count(model) for model in (Status, TicketType, Priority)] == before
    assert (count(Queue), count(User)) == (queues, users)
    assert queues == len(demo.DEMO_QUEUES)
    assert users == demo.DEMO_TEAM_SIZE
    assert set(db.session.scalars(select(Ticket.status_id))) <= set(
        db.session.scalars(select(Status.id))
    )


def test_without_new_customers_tickets_go_to_existing_ones(app, make_customer):
    customer = make_customer(name="Juana Pérez")
    demo.fill_demo(customers=0, tickets=5, seed=1)
    assert set(db.session.scalars(select(Ticket.customer_id))) == {customer.id}


def test_tickets_without_any_customer_are_refused(app):
    with pytest.raises(demo.ValidationError, match="tickets need customers"):
        demo.fill_demo(customers=0, tickets=5)
    assert count(Ticket) == 0


def test_the_same_seed_gives_the_same_customers(app):
    demo.fill_demo(customers=5, tickets=0, seed=42)
    first = list(db.session.scalars(select(Customer.name).order_by(Customer.id)))
    db.session.execute(Customer.__table__.delete())
    db.session.commit()
    demo.fill_demo(customers=5, tickets=0, seed=42)
    again = list(db.session.scalars(select(Customer.name).order_by(Customer.id)))
    assert first == again


def test_demo_logins_are_created_once(app):
    assert demo.existing_demo_logins() == []
    demo.ensure_demo_logins()
    demo.ensure_demo_logins()
    assert demo.existing_demo_logins() == list(demo.DEMO_LOGINS)
    admin = db.session.scalar(select(User).filter_by(email=demo.DEMO_LOGINS[0].email))
    assert admin.role == "admin" and admin.check_password(demo.DEMO_LOGINS[0].password)


@pytest.mark.parametrize(
    ("body", "expected"), [(12345678, "12.345.678-5"), (11111111, "11.111.111-1"), (6, "6-K")]
)
def test_national_ids_have_a_valid_check_digit(body, expected):
    assert demo.rut(body) == expected
