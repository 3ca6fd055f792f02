"""Ticket operations. Each is one unit of work: validate, ask the veto hooks, change the
rows, record history, notify plugins, commit once."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..desk_time import desk_today
from ..errors import Conflict, NotFound, ValidationError
from ..extensions import db
from ..models import (
    Comment,
    Priority,
    Status,
    StatusCategory,
    Ticket,
    TicketType,
    TimeEntry,
    User,
    utcnow,
)
from ..plugins import hook
from ..schemas import (
    CloseSchema,
    CommentSchema,
    ReassignSchema,
    StatusChangeSchema,
    TicketFieldsSchema,
    TicketOpenSchema,
    TimeEntrySchema,
)
from . import coverage, history
from .numbering import next_number
from .ticket_insert import insert_ticket
from .tickets_base import default, first_status, load_ticket, resolve
from .unit_of_work import schema_instance, unit_of_work, validate

TICKET_SEQUENCE = "tickets"
#: Changing these may change who pays, so coverage is asked again.
COVERAGE_FIELDS = {"customer_id", "serial_number"}
#: Fields whose input is an id of another row.
REFERENCE_FIELDS = {"customer_id", "consultant_id", "type_id", "priority_id", "topic_id"}
#: References a ticket cannot lose once it has them (when opening, null means the default).
NEEDED_REFERENCES = {
    "customer_id": _l("a ticket needs a customer"),
    "type_id": _l("a ticket needs a type"),
    "priority_id": _l("a ticket needs a priority"),
}
#: Text fields stored as "" rather than NULL when left blank.
TEXT_FIELDS = {"symptom", "diagnosis", "resolution"}


def open_ticket(data: dict, agent: User) -> Ticket:
    """Open a ticket; it gets the next consecutive number only if everything succeeds."""
    values = validate(TicketOpenSchema, data)
    # Its reads only check what the ticket refers to; the write lock waits for its number.
    with unit_of_work(defer_lock=True):
        ticket = Ticket(entered_by=agent, received_at=values.get("received_at") or utcnow())
        _assign_fields(ticket, values)
        ticket.type = ticket.type or default(TicketType)
        ticket.priority = ticket.priority or default(Priority)
        ticket.status = first_status(StatusCategory.OPEN)
        ticket.queue = resolve("queue_id", values["queue_id"])
        ticket.assignee = resolve("assignee_id", values["assignee_id"])
        ticket.related = [_related(n) for n in dict.fromkeys(values["related"])]
        hook().ticket_opening(ticket=ticket, data=values, agent=agent)
        coverage.refresh(ticket, agent)
        ticket.number = next_number(TICKET_SEQUENCE)
        insert_ticket(ticket)
        history.record(ticket, "opened", agent, field="status", new=ticket.status)
        hook().ticket_opened(ticket=ticket, agent=agent, extra=values["extra"])
    return ticket


def _related(number: int) -> Ticket:
    """A ticket named in the input: unknown is bad input (400), not a missing page (404)."""
    try:
        return load_ticket(number)
    except NotFound:
        raise ValidationError(
            {"related": [_l("ticket #%(number)s not found", number=number)]}
        ) from None


def _assign_fields(ticket: Ticket, values: dict) -> dict:
    """Copy validated fields onto the ticket; returns ``{field: (old, new)}`` of what changed."""
    changes = {}
    for field in schema_instance(TicketFieldsSchema).fields:
        if field not in values:
            continue
        new = values[field]
        if field in TEXT_FIELDS and new is None:
            new = ""
        if field in REFERENCE_FIELDS:
            if field in NEEDED_REFERENCES and new is None and getattr(ticket, field) is not None:
                raise ValidationError({field: [NEEDED_REFERENCES[field]]})
            relation = field.removesuffix("_id")
            old_row, new_row = getattr(ticket, relation), resolve(field, new)
            if old_row is not new_row:
                setattr(ticket, relation, new_row)
                changes[field] = (old_row, new_row)
        elif getattr(ticket, field) != new:
            changes[field] = (getattr(ticket, field), new)
            setattr(ticket, field, new)
    return changes


def update_ticket(number: int, data: dict, agent: User) -> Ticket:
    """Change fields of a ticket; every changed field is recorded in history."""
    values = validate(TicketFieldsSchema, data, partial=True)
    with unit_of_work():
        ticket = load_ticket(number)
        changes = _assign_fields(ticket, values)
        if not changes:
            return ticket
        for field, (old, new) in changes.items():
            history.record(ticket, "updated", agent, field=field, old=old, new=new)
        if COVERAGE_FIELDS & changes.keys():
            coverage.refresh(ticket, agent)
        hook().ticket_updated(ticket=ticket, changes=changes, agent=agent)
    return ticket


def change_status(number: int, data: dict, agent: User) -> Ticket:
    """Move a ticket along an allowed transition of the status workflow."""
    values = validate(StatusChangeSchema, data)
    with unit_of_work():
        ticket = load_ticket(number)
        new_status = resolve("status_id", values["status_id"])
        if new_status not in ticket.status.next_statuses:
            raise Conflict(_cannot_move(ticket, new_status))
        _move(ticket, new_status, values.get("resolution"), agent)
    return ticket


def close_ticket(number: int, data: dict, agent: User) -> Ticket:
    """Close a ticket with its resolution (into the given or the default closed status)."""
    values = validate(CloseSchema, data)
    with unit_of_work():
        ticket = load_ticket(number)
        if values["status_id"] is None:
            target = first_status(StatusCategory.CLOSED)
        else:
            target = resolve("status_id", values["status_id"])
            if target.category != StatusCategory.CLOSED:
                raise ValidationError(
                    {"status_id": [_l("'%(status)s' is not a closed status", status=target.name)]}
                )
        if ticket.status.category == StatusCategory.CLOSED:
            raise Conflict(_l("ticket #%(number)s is already closed", number=number))
        _move(ticket, target, values["resolution"], agent)
    return ticket


def reopen_ticket(number: int, data: dict | None, agent: User) -> Ticket:
    """Bring a resolved or closed ticket back to the default open status."""
    values = validate(StatusChangeSchema, data, partial=True)
    with unit_of_work():
        ticket = load_ticket(number)
        if not ticket.status.category_enum.is_finished:
            raise Conflict(_l("ticket #%(number)s is not resolved or closed", number=number))
        if values.get("status_id") is None:
            target = first_status(StatusCategory.OPEN)
        else:
            target = resolve("status_id", values["status_id"])
            if target.category_enum.is_finished:
                raise ValidationError(
                    {"status_id": [_l("'%(status)s' does not reopen a ticket", status=target.name)]}
                )
        _move(ticket, target, None, agent)
    return ticket


def _cannot_move(ticket: Ticket, target: Status):
    """Why a status change is refused, naming the statuses the ticket may go to."""
    allowed = [s.name for s in ticket.status.next_statuses]
    names = {"number": ticket.number, "old": ticket.status.name, "new": target.name}
    if not allowed:
        return _l(
            "ticket #%(number)s cannot go from '%(old)s' to '%(new)s'; allowed: none", **names
        )
    return _l(
        "ticket #%(number)s cannot go from '%(old)s' to '%(new)s'; allowed: %(allowed)s",
        allowed=", ".join(allowed),
        **names,
    )


def _move(ticket: Ticket, new_status: Status, resolution: str | None, agent: User) -> None:
    """The one place a status changes: resolution rule, vetoes, timestamps, history, hooks."""
    old_status = ticket.status
    if new_status is old_status:
        raise Conflict(
            _l(
                "ticket #%(number)s is already '%(status)s'",
                number=ticket.number,
                status=old_status.name,
            )
        )
    entering = new_status.category_enum
    if entering.is_finished and not (resolution or ticket.resolution):
        raise ValidationError({"resolution": [_l("a resolution is needed to resolve or close")]})
    closing = entering == StatusCategory.CLOSED
    reopening = old_status.category_enum.is_finished and not entering.is_finished
    hooks = hook()
    hooks.ticket_status_changing(
        ticket=ticket, old_status=old_status, new_status=new_status, agent=agent
    )
    if closing:
        hooks.ticket_closing(ticket=ticket, agent=agent)
    if resolution and resolution != ticket.resolution:
        history.record(
            ticket, "updated", agent, field="resolution", old=ticket.resolution, new=resolution
        )
        ticket.resolution = resolution
    now = utcnow()
    ticket.status = new_status
    if entering.is_finished:
        ticket.resolved_at = ticket.resolved_at or now
    if closing:
        ticket.closed_at = now
    if reopening:
        ticket.resolved_at = ticket.closed_at = None
    action = "closed" if closing else "reopened" if reopening else "status"
    history.record(ticket, action, agent, field="status", old=old_status, new=new_status)
    hooks.ticket_status_changed(
        ticket=ticket, old_status=old_status, new_status=new_status, agent=agent
    )
    if closing:
        hooks.ticket_closed(ticket=ticket, agent=agent)
    if reopening:
        hooks.ticket_reopened(ticket=ticket, agent=agent)


def reassign_ticket(number: int, data: dict, agent: User) -> Ticket:
    """Hand a ticket to another queue and/or agent."""
    values = validate(ReassignSchema, data)
    with unit_of_work():
        ticket = load_ticket(number)
        old_queue, old_assignee = ticket.queue, ticket.assignee
        if "queue_id" in values:
            ticket.queue = resolve("queue_id", values["queue_id"])
        if "assignee_id" in values:
            ticket.assignee = resolve("assignee_id", values["assignee_id"])
        if (ticket.queue, ticket.assignee) == (old_queue, old_assignee):
            return ticket
        if ticket.queue is not old_queue:
            history.record(
                ticket, "reassigned", agent, field="queue", old=old_queue, new=ticket.queue
            )
        if ticket.assignee is not old_assignee:
            history.record(
                ticket, "reassigned", agent, field="assignee", old=old_assignee, new=ticket.assignee
            )
        hook().ticket_reassigned(
            ticket=ticket, old_queue=old_queue, old_assignee=old_assignee, agent=agent
        )
    return ticket


def add_comment(number: int, data: dict, agent: User) -> Comment:
    """Add an internal note or a customer-visible comment."""
    values = validate(CommentSchema, data)
    with unit_of_work():
        ticket = load_ticket(number)
        comment = Comment(
            ticket_id=ticket.id, author=agent, body=values["body"], visibility=values["visibility"]
        )
        db.session.add(comment)
        db.session.flush()
        hook().comment_added(ticket=ticket, comment=comment, agent=agent)
    return comment


def log_time(number: int, data: dict, agent: User) -> TimeEntry:
    """Record minutes an agent spent on a ticket (the desk's today unless a day is given)."""
    values = validate(TimeEntrySchema, data)
    with unit_of_work():
        ticket = load_ticket(number)
        entry = TimeEntry(
            ticket_id=ticket.id,
            agent=agent,
            minutes=values["minutes"],
            spent_on=values["spent_on"] or desk_today(),
            note=values["note"] or "",
        )
        db.session.add(entry)
        db.session.flush()
        hook().time_logged(ticket=ticket, entry=entry, agent=agent)
    return entry


def link_ticket(number: int, related_number: int, agent: User) -> Ticket:
    """Record that a ticket relates to an earlier one (shown on both)."""
    with unit_of_work():
        ticket = load_ticket(number)
        related = load_ticket(related_number)
        if related is ticket:
            raise ValidationError({"related": [_l("a ticket cannot relate to itself")]})
        if related in ticket.related:
            return ticket
        ticket.related.append(related)
        history.record(ticket, "linked", agent, field="related", new=related)
    return ticket
