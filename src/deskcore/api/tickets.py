"""Tickets: the list with every filter, open, read with timeline, update, and the workflow."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request
from marshmallow import Schema, fields, missing

from ..models import Role
from ..schemas import (
    CloseSchema,
    CoverageOverrideSchema,
    ReassignSchema,
    StatusChangeSchema,
    TicketFieldsSchema,
    TicketFilterSchema,
    TicketOpenSchema,
)
from ..services import (
    change_status,
    close_ticket,
    load_ticket,
    open_ticket,
    override_coverage,
    reassign_ticket,
    reopen_ticket,
    restore_automatic_coverage,
    update_ticket,
)
from ..services.ticket_search import search_tickets
from ..services.timeline import timeline
from .auth import current_user
from .blueprint import bp
from .endpoint import endpoint
from .plugin_fields import cached, with_plugin_fields
from .resources import Out, TicketNumberSchema, TicketOutSchema, TimelineEntrySchema

#: The workflow answers 409 when the ticket's state (or a plugin's veto) refuses.
STATE_ERRORS = (409,)


class Timeline(fields.List):
    """A ticket's timeline, from the same service the ticket page uses."""

    def get_value(self, obj, attr, accessor=None, default=missing):
        return [{"kind": e.kind, "at": e.at, e.kind: e.item} for e in timeline(obj)]


class TicketDetailOutSchema(TicketOutSchema):
    related = fields.Pluck(
        TicketNumberSchema, "number", many=True, metadata={"description": "related ticket numbers"}
    )
    timeline = Timeline(
        fields.Nested(TimelineEntrySchema), metadata={"description": "everything, oldest first"}
    )


def ticket_schema() -> type[Schema]:
    return with_plugin_fields(TicketOutSchema, "ticket")


def ticket_detail_schema() -> type[Schema]:
    return with_plugin_fields(TicketDetailOutSchema, "ticket")


def ticket_page_schema() -> type[Schema]:
    def build():
        ticket = with_plugin_fields(TicketOutSchema, "ticket")
        page = {
            "items": fields.Nested(ticket, many=True),
            "next": fields.String(
                allow_none=True, metadata={"description": "URL of the next page; null on the last"}
            ),
        }
        return Out.from_dict(page, name="TicketPage")

    return cached("TicketPage", build)


@bp.get("/tickets")
@endpoint(query=TicketFilterSchema, response=ticket_page_schema)
def tickets_list(query: dict):
    """List tickets with the filters and quick views of the ticket list.

    Pages are cut by a cursor: follow `next` until it is null.
    """
    page = search_tickets(query, current_user())
    return {"items": page.tickets, "next": _next_link(page.next_cursor)}


def _next_link(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "cursor"]
    return f"{request.base_url}?{urlencode([*args, ('cursor', cursor)])}"


@bp.post("/tickets")
@endpoint(
    body=TicketOpenSchema, response=ticket_schema, status=201, idempotent=True, errors=STATE_ERRORS
)
def tickets_open(body: dict):
    """Open a ticket; it gets the next consecutive number.

    Send an `Idempotency-Key` so a retry after a timeout never opens it twice.
    """
    return open_ticket(body, current_user())


@bp.get("/tickets/<id:number>")
@endpoint(response=ticket_detail_schema)
def tickets_read(number: int):
    """One ticket with its related tickets and its timeline."""
    return load_ticket(number)


@bp.patch("/tickets/<id:number>")
@endpoint(body=TicketFieldsSchema, partial=True, response=ticket_schema, errors=STATE_ERRORS)
def tickets_update(number: int, body: dict):
    """Change fields of a ticket; every change is recorded in its history."""
    return update_ticket(number, body, current_user())


@bp.post("/tickets/<id:number>/status")
@endpoint(body=StatusChangeSchema, response=ticket_schema, errors=STATE_ERRORS)
def tickets_change_status(number: int, body: dict):
    """Move a ticket along an allowed transition of the status workflow."""
    return change_status(number, body, current_user())


@bp.post("/tickets/<id:number>/reassign")
@endpoint(body=ReassignSchema, response=ticket_schema, errors=STATE_ERRORS)
def tickets_reassign(number: int, body: dict):
    """Hand a ticket to another queue and/or agent."""
    return reassign_ticket(number, body, current_user())


@bp.post("/tickets/<id:number>/close")
@endpoint(body=CloseSchema, response=ticket_schema, errors=STATE_ERRORS)
def tickets_close(number: int, body: dict):
    """Close a ticket with its resolution."""
    return close_ticket(number, body, current_user())


@bp.post("/tickets/<id:number>/reopen")
@endpoint(
    body=StatusChangeSchema,
    partial=True,
    body_required=False,
    response=ticket_schema,
    errors=STATE_ERRORS,
)
def tickets_reopen(number: int, body: dict):
    """Bring a resolved or closed ticket back to an open status (the default one if none)."""
    return reopen_ticket(number, body, current_user())


@bp.post("/tickets/<id:number>/coverage")
@endpoint(body=CoverageOverrideSchema, response=ticket_schema, role=Role.SUPERVISOR, errors=(409,))
def tickets_override_coverage(number: int, body: dict):
    """Decide a ticket's coverage by hand (supervisors); plugins no longer change it."""
    return override_coverage(number, body, current_user())


@bp.delete("/tickets/<id:number>/coverage")
@endpoint(response=ticket_schema, role=Role.SUPERVISOR, errors=(409,))
def tickets_restore_coverage(number: int):
    """Undo a coverage override (supervisors): the enabled plugins decide again."""
    return restore_automatic_coverage(number, current_user())
