"""Commitments on a ticket: promised by a date, rescheduled with a record, completed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import Conflict, NotFound
from ..extensions import db
from ..models import Commitment, CommitmentDueChange, User, utcnow
from ..schemas import CommitmentSchema, RescheduleSchema
from . import history
from .tickets_base import load_ticket, resolve
from .unit_of_work import unit_of_work, validate


def get_commitment(commitment_id: int) -> Commitment:
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None:
        raise NotFound(_l("commitment %(id)s not found", id=commitment_id))
    return commitment


def add_commitment(number: int, data: dict, agent: User) -> Commitment:
    values = validate(CommitmentSchema, data)
    with unit_of_work():
        ticket = load_ticket(number)
        commitment = Commitment(
            ticket_id=ticket.id,
            type=resolve("commitment_type_id", values["type_id"]),
            responsible=resolve("responsible_id", values["responsible_id"]),
            due_at=values["due_at"],
            note=values["note"] or "",
            created_by_id=agent.id,
        )
        db.session.add(commitment)
        history.record(
            ticket, "commitment", agent, field=commitment.type.name, new=values["due_at"]
        )
    return commitment


def reschedule_commitment(commitment_id: int, data: dict, agent: User) -> Commitment:
    """Move a commitment's due date; the change is kept for the commitment-date report."""
    values = validate(RescheduleSchema, data)
    with unit_of_work():
        commitment = get_commitment(commitment_id)
        if commitment.done:
            raise Conflict(_l("a completed commitment cannot be rescheduled"))
        if values["due_at"] == commitment.due_at:
            return commitment
        db.session.add(
            CommitmentDueChange(
                commitment=commitment,
                old_due_at=commitment.due_at,
                new_due_at=values["due_at"],
                reason=values["reason"] or "",
                changed_by_id=agent.id,
            )
        )
        history.record(
            commitment.ticket,
            "commitment_rescheduled",
            agent,
            field=commitment.type.name,
            old=commitment.due_at,
            new=values["due_at"],
        )
        commitment.due_at = values["due_at"]
    return commitment


def complete_commitment(commitment_id: int, agent: User) -> Commitment:
    with unit_of_work():
        commitment = get_commitment(commitment_id)
        if commitment.done:
            raise Conflict(_l("the commitment is already completed"))
        commitment.done = True
        commitment.done_at = utcnow()
        history.record(
            commitment.ticket,
            "commitment_done",
            agent,
            field=commitment.type.name,
            new=commitment.done_at,
        )
    return commitment
