"""What agents add to a ticket: comments, time entries and commitments."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Comment, Commitment, TimeEntry
from ..schemas import CommentSchema, CommitmentSchema, RescheduleSchema, TimeEntrySchema
from ..services import (
    add_comment,
    add_commitment,
    complete_commitment,
    load_ticket,
    log_time,
    reschedule_commitment,
)
from .auth import current_user
from .blueprint import bp
from .endpoint import endpoint
from .resources import CommentOutSchema, CommitmentOutSchema, TimeEntryOutSchema, items_of

CommentList = items_of(CommentOutSchema, "CommentList")
TimeEntryList = items_of(TimeEntryOutSchema, "TimeEntryList")
CommitmentList = items_of(CommitmentOutSchema, "CommitmentList")


def _rows(model, number: int, *load):
    """The rows of one ticket, oldest first, with what the answer shows loaded up front."""
    ticket = load_ticket(number)
    stmt = select(model).where(model.ticket_id == ticket.id).options(*map(selectinload, load))
    return {"items": list(db.session.scalars(stmt.order_by(model.id)))}


@bp.get("/tickets/<id:number>/comments")
@endpoint(response=CommentList)
def comments_list(number: int):
    """A ticket's comments, oldest first."""
    return _rows(Comment, number, Comment.author)


@bp.post("/tickets/<id:number>/comments")
@endpoint(body=CommentSchema, response=CommentOutSchema, status=201, idempotent=True, errors=(409,))
def comments_add(number: int, body: dict):
    """Add an internal note or a comment the customer may see."""
    return add_comment(number, body, current_user())


@bp.get("/tickets/<id:number>/time-entries")
@endpoint(response=TimeEntryList)
def time_entries_list(number: int):
    """Time logged on a ticket, oldest first."""
    return _rows(TimeEntry, number, TimeEntry.agent)


@bp.post("/tickets/<id:number>/time-entries")
@endpoint(
    body=TimeEntrySchema, response=TimeEntryOutSchema, status=201, idempotent=True, errors=(409,)
)
def time_entries_add(number: int, body: dict):
    """Log minutes spent on a ticket (today unless `spent_on` says otherwise)."""
    return log_time(number, body, current_user())


@bp.get("/tickets/<id:number>/commitments")
@endpoint(response=CommitmentList)
def commitments_list(number: int):
    """A ticket's commitments, oldest first."""
    return _rows(Commitment, number, Commitment.type, Commitment.responsible)


@bp.post("/tickets/<id:number>/commitments")
@endpoint(
    body=CommitmentSchema, response=CommitmentOutSchema, status=201, idempotent=True, errors=(409,)
)
def commitments_add(number: int, body: dict):
    """Promise something on a ticket by a date: call back, visit, send a part."""
    return add_commitment(number, body, current_user())


@bp.post("/commitments/<id:commitment_id>/reschedule")
@endpoint(body=RescheduleSchema, response=CommitmentOutSchema, errors=(409,))
def commitments_reschedule(commitment_id: int, body: dict):
    """Move a commitment's due date; the change is kept for the commitment-date report."""
    return reschedule_commitment(commitment_id, body, current_user())


@bp.post("/commitments/<id:commitment_id>/complete")
@endpoint(response=CommitmentOutSchema, errors=(409,))
def commitments_complete(commitment_id: int):
    """Mark a commitment done."""
    return complete_commitment(commitment_id, current_user())
