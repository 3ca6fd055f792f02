"""The dummy plugin's part of the JSON API: fields on tickets and customers, and a route
documented through ``deskcore.api.endpoint`` (POST /api/v1/dummy/tickets/<number>/notes)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate
from sqlalchemy import func, select

from deskcore import hookimpl
from deskcore.api import endpoint
from deskcore.extensions import db
from deskcore.schemas import BaseSchema
from deskcore.services import load_ticket
from deskcore.services.unit_of_work import validate as validate_with

from .models import DummyNote
from .views import api


def _record(name: str, **kwargs) -> None:
    from .plugin import _record as record

    record(name, **kwargs)


class DummyTicketFieldsSchema(Schema):
    note_count = fields.Integer(required=True)


class DummyCustomerFieldsSchema(Schema):
    initials = fields.String(required=True)


@hookimpl
def ticket_api_fields(tickets):
    _record("ticket_api_fields", tickets=tickets)
    counts = dict.fromkeys((t.id for t in tickets), 0)
    rows = db.session.execute(
        select(DummyNote.ticket_id, func.count())
        .where(DummyNote.ticket_id.in_(counts))
        .group_by(DummyNote.ticket_id)
    )
    counts.update(dict(rows.all()))
    return {ticket_id: {"note_count": count} for ticket_id, count in counts.items()}


@hookimpl
def customer_api_fields(customers):
    _record("customer_api_fields", customers=customers)
    return {c.id: {"initials": "".join(w[0] for w in c.name.split()).upper()} for c in customers}


@hookimpl
def api_field_schemas():
    _record("api_field_schemas")
    return {"ticket": DummyTicketFieldsSchema, "customer": DummyCustomerFieldsSchema}


class DummyNoteSchema(BaseSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=200))


class DummyNoteOutSchema(Schema):
    id = fields.Integer(required=True)
    ticket_id = fields.Integer(required=True)
    text = fields.String(required=True)


@api.post("/tickets/<id:number>/notes")
@endpoint(body=DummyNoteSchema, response=DummyNoteOutSchema, status=201)
def add_note(number: int, body: dict):
    """Keep a dummy note on a ticket."""
    values = validate_with(DummyNoteSchema, body)
    note = DummyNote(ticket_id=load_ticket(number).id, text=values["text"])
    db.session.add(note)
    return note
