"""A small desk with known numbers for the report tests.

Seven tickets received ten days ago and later, two agents, two customers, time logged,
commitments (one overdue, one moved) and waiting periods. Rows go in directly so every
timestamp is exact; the expected numbers are worked out by hand in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from deskcore.extensions import db
from deskcore.models import (
    Commitment,
    CommitmentDueChange,
    CommitmentType,
    HistoryEvent,
    Priority,
    Status,
    Ticket,
    TicketType,
    TimeEntry,
)


@dataclass
class Desk:
    base: datetime
    ana: object
    beto: object
    boss: object
    contract_customer: object
    other_customer: object
    tickets: dict

    @property
    def first_day(self) -> date:
        return self.base.date()

    def period(self, days: int = 20) -> dict[str, str]:
        """Parameters covering every dated row of the desk."""
        return {
            "start": self.first_day.isoformat(),
            "end": (self.first_day + timedelta(days=days)).isoformat(),
        }


def _by_name(model, name):
    return db.session.scalar(select(model).where(model.name == name))


@pytest.fixture
def desk(app, make_user, make_customer) -> Desk:
    base = datetime.combine(date.today() - timedelta(days=10), time(9), UTC)
    ana = make_user("agent", name="Ana")
    beto = make_user("agent", name="Beto")
    boss = make_user("supervisor", name="Sonia Supervisor")
    contract_customer = make_customer(name="Cliente Contrato")
    other_customer = make_customer(name="Cliente Otro")
    status = {s.code: s for s in db.session.scalars(select(Status))}
    complaint = _by_name(TicketType, "Complaint")
    request = _by_name(TicketType, "Request")
    priority = db.session.scalar(select(Priority).order_by(Priority.id))
    h = timedelta(hours=1)
    d = timedelta(days=1)
    # number: (type, assignee, customer, status, received, resolved, closed, coverage)
    plan = {
        1: (complaint, ana, contract_customer, "closed", base, 10 * h, 12 * h, "contract"),
        2: (complaint, ana, contract_customer, "resolved", base, 20 * h, None, "billable"),
        3: (complaint, beto, other_customer, "closed", base, 30 * h, 31 * h, "billable"),
        4: (request, beto, other_customer, "resolved", base, 40 * h, None, "warranty"),
        5: (complaint, ana, other_customer, "pending", base + d, None, None, "billable"),
        6: (request, None, other_customer, "on_hold", base + 2 * d, None, None, "billable"),
        7: (request, beto, other_customer, "pending", base + 3 * d, None, None, "billable"),
    }
    tickets = {}
    for number, (kind, who, customer, code, received, resolved, closed, coverage) in plan.items():
        ticket = Ticket(
            number=900_000 + number,
            customer_id=customer.id,
            subject=f"Ticket {number}",
            type_id=kind.id,
            priority_id=priority.id,
            status_id=status[code].id,
            entered_by_id=boss.id,
            assignee_id=who.id if who else None,
            received_at=received,
            resolved_at=received + resolved if resolved else None,
            closed_at=received + closed if closed else None,
            coverage=coverage,
        )
        db.session.add(ticket)
        tickets[number] = ticket
    db.session.flush()

    def entry(number, who, minutes, day):
        db.session.add(
            TimeEntry(ticket_id=tickets[number].id, agent_id=who.id, minutes=minutes, spent_on=day)
        )

    entry(1, ana, 60, base.date())
    entry(2, ana, 30, base.date())
    entry(3, beto, 90, (base + d).date())
    entry(4, beto, 45, (base + d).date())

    def moved(number, name, at):
        db.session.add(
            HistoryEvent(
                ticket_id=tickets[number].id,
                action="status",
                field="status",
                old_value="",
                new_value=name,
                created_at=at,
            )
        )
        db.session.flush()  # ids follow time, as in real history

    moved(5, "On hold", base + d + 2 * h)
    moved(5, "Pending", base + d + 5 * h)
    moved(6, "On hold", base + 2 * d + h)

    call_back = _by_name(CommitmentType, "Call back")
    visit = _by_name(CommitmentType, "Field visit")
    now = datetime.now(UTC)
    overdue = Commitment(
        ticket_id=tickets[5].id, type_id=call_back.id, responsible_id=ana.id,
        due_at=base + 2 * d, created_by_id=ana.id,
    )  # fmt: skip
    upcoming = Commitment(
        ticket_id=tickets[7].id, type_id=visit.id, responsible_id=beto.id,
        due_at=now + 2 * d, created_by_id=beto.id,
    )  # fmt: skip
    done = Commitment(
        ticket_id=tickets[1].id, type_id=call_back.id, responsible_id=ana.id,
        due_at=base + 5 * h, done=True, done_at=base + 4 * h, created_by_id=ana.id,
    )  # fmt: skip
    db.session.add_all([overdue, upcoming, done])
    db.session.flush()
    db.session.add(
        CommitmentDueChange(
            commitment_id=upcoming.id,
            old_due_at=now + d,
            new_due_at=now + 2 * d,
            reason="customer asked",
            changed_by_id=beto.id,
            changed_at=base + 3 * d,
        )
    )
    db.session.commit()
    return Desk(base, ana, beto, boss, contract_customer, other_customer, tickets)
