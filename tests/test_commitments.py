"""Commitments: promised by a date, every change of that date kept, completed once."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from deskcore.errors import Conflict, ValidationError
from deskcore.extensions import db
from deskcore.models import CommitmentDueChange, CommitmentType
from deskcore.services import add_commitment, complete_commitment, reschedule_commitment


@pytest.fixture
def call_back(app):
    return db.session.scalar(select(CommitmentType).where(CommitmentType.name == "Call back"))


@pytest.fixture
def commitment(make_ticket, agent, call_back):
    ticket = make_ticket()
    return add_commitment(
        ticket.number,
        {"type_id": call_back.id, "responsible_id": agent.id, "due_at": "2026-12-01T15:00:00Z"},
        agent,
    )


def test_a_commitment_has_a_type_a_responsible_and_a_due_date(commitment, agent, call_back):
    assert (commitment.type, commitment.responsible) == (call_back, agent)
    assert commitment.due_at == datetime(2026, 12, 1, 15, tzinfo=UTC)
    assert not commitment.done


def test_every_due_date_change_is_kept(commitment, supervisor):
    reschedule_commitment(
        commitment.id, {"due_at": "2026-12-03T15:00:00Z", "reason": "cliente de viaje"}, supervisor
    )
    reschedule_commitment(commitment.id, {"due_at": "2026-12-05T10:00:00Z"}, supervisor)
    changes = db.session.scalars(select(CommitmentDueChange).order_by(CommitmentDueChange.id)).all()
    assert [(c.old_due_at.day, c.new_due_at.day, c.reason) for c in changes] == [
        (1, 3, "cliente de viaje"),
        (3, 5, ""),
    ]
    assert all(c.changed_by_id == supervisor.id for c in changes)
    assert commitment.due_at == datetime(2026, 12, 5, 10, tzinfo=UTC)


def test_rescheduling_to_the_same_date_records_nothing(commitment, agent):
    reschedule_commitment(commitment.id, {"due_at": "2026-12-01T15:00:00Z"}, agent)
    assert CommitmentDueChange.query.count() == 0


def test_completing_stamps_the_time_and_only_once(commitment, agent):
    complete_commitment(commitment.id, agent)
    assert commitment.done and commitment.done_at is not None
    with pytest.raises(Conflict):
        complete_commitment(commitment.id, agent)
    with pytest.raises(Conflict):
        reschedule_commitment(commitment.id, {"due_at": "2027-01-01T00:00:00Z"}, agent)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type_id": 999}, "commitment_type_id"),
        ({"responsible_id": 999}, "responsible_id"),
        ({"due_at": "mañana"}, "due_at"),
    ],
)
def test_bad_commitment_input_is_refused(make_ticket, agent, call_back, change, field):
    data = {"type_id": call_back.id, "responsible_id": agent.id, "due_at": "2026-12-01T15:00Z"}
    with pytest.raises(ValidationError) as exc:
        add_commitment(make_ticket().number, {**data, **change}, agent)
    assert field in exc.value.messages
