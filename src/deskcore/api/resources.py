"""Output schemas: what the API answers with. Input is validated by ``deskcore.schemas``.

References to other rows are ids, except a ticket's status and customer, which every ticket
page loads anyway and which a client shows first.
"""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, fields, missing, validate


class Out(Schema):
    """Every output field is always present (null when empty), unless listed as optional."""

    optional: frozenset[str] = frozenset()

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        # Marked required so the OpenAPI document promises the key is there.
        field_obj.required = field_name not in self.optional


class Whole(fields.Nested):
    """Dumps the object itself with the nested schema: a group of its columns as one object."""

    def get_value(self, obj, attr, accessor=None, default=missing):
        return obj


class Utc(fields.AwareDateTime):
    """Datetimes always answered in UTC, whatever zone they were given in."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(value and value.astimezone(UTC), attr, obj, **kwargs)


class ErrorSchema(Out):
    optional = frozenset({"errors"})

    error = fields.String()
    errors = fields.Dict(
        keys=fields.String(), metadata={"description": "field name → list of problems"}
    )


class RefSchema(Out):
    """A row another one points at: its id and its name."""

    id = fields.Integer()
    name = fields.String()


class IdSchema(Out):
    id = fields.Integer()


class PhoneOutSchema(Out):
    number = fields.String()
    label = fields.String()


class CustomerOutSchema(Out):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    national_id = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    address = fields.String()
    city = fields.String()
    notes = fields.String()
    phones = fields.List(fields.Nested(PhoneOutSchema))
    created_at = Utc()
    updated_at = Utc()


class StatusRefSchema(RefSchema):
    code = fields.String()
    category = fields.String()


class CoverageOutSchema(Out):
    kind = fields.String(attribute="coverage")
    plugin = fields.String(attribute="coverage_plugin")
    reason = fields.String(attribute="coverage_reason")
    overridden = fields.Boolean(attribute="coverage_overridden")


class TicketOutSchema(Out):
    id = fields.Integer()
    number = fields.Integer()
    subject = fields.String()
    symptom = fields.String()
    customer = fields.Nested(RefSchema)
    consultant_id = fields.Integer(allow_none=True)
    status = fields.Nested(StatusRefSchema)
    type_id = fields.Integer()
    priority_id = fields.Integer()
    topic_id = fields.Integer(allow_none=True)
    queue_id = fields.Integer(allow_none=True)
    assignee_id = fields.Integer(allow_none=True)
    entered_by_id = fields.Integer()
    channel = fields.String()
    received_at = Utc()
    estimated_close_on = fields.Date(allow_none=True)
    serial_number = fields.String(allow_none=True)
    order_ref = fields.String(allow_none=True)
    payment_ref = fields.String(allow_none=True)
    dispatch_ref = fields.String(allow_none=True)
    diagnosis = fields.String()
    resolution = fields.String()
    coverage = Whole(CoverageOutSchema)
    created_at = Utc()
    updated_at = Utc()
    resolved_at = Utc(allow_none=True)
    closed_at = Utc(allow_none=True)


class TicketNumberSchema(Out):
    number = fields.Integer()


class CommentOutSchema(Out):
    id = fields.Integer()
    author = fields.Nested(RefSchema, allow_none=True)
    body = fields.String()
    visibility = fields.String()
    created_at = Utc()


class TimeEntryOutSchema(Out):
    id = fields.Integer()
    agent = fields.Nested(RefSchema)
    minutes = fields.Integer()
    spent_on = fields.Date()
    note = fields.String()
    created_at = Utc()


class CommitmentOutSchema(Out):
    id = fields.Integer()
    ticket_number = fields.Pluck(TicketNumberSchema, "number", attribute="ticket")
    type = fields.Nested(RefSchema)
    responsible = fields.Nested(RefSchema)
    due_at = Utc()
    note = fields.String()
    done = fields.Boolean()
    done_at = Utc(allow_none=True)
    created_at = Utc()


class HistoryOutSchema(Out):
    id = fields.Integer()
    actor = fields.Nested(RefSchema, allow_none=True)
    source = fields.String()
    action = fields.String()
    field = fields.String(allow_none=True)
    old_value = fields.String(allow_none=True)
    new_value = fields.String(allow_none=True)
    created_at = Utc()


TIMELINE_KINDS = ("comment", "history", "time", "commitment")


class TimelineEntrySchema(Out):
    """One event of a ticket; the object under the key named by ``kind`` holds it."""

    optional = frozenset(TIMELINE_KINDS)

    kind = fields.String(validate=validate.OneOf(TIMELINE_KINDS))
    at = Utc()
    comment = fields.Nested(CommentOutSchema)
    history = fields.Nested(HistoryOutSchema)
    time = fields.Nested(TimeEntryOutSchema)
    commitment = fields.Nested(CommitmentOutSchema)


class ClassificationOutSchema(Out):
    id = fields.Integer()
    name = fields.String()
    position = fields.Integer()
    active = fields.Boolean()


class DefaultableOutSchema(ClassificationOutSchema):
    is_default = fields.Boolean()


class StatusOutSchema(DefaultableOutSchema):
    code = fields.String()
    category = fields.String()
    next_status_ids = fields.Pluck(IdSchema, "id", many=True, attribute="next_statuses")


class QueueOutSchema(Out):
    id = fields.Integer()
    name = fields.String()
    description = fields.String()
    active = fields.Boolean()


class PluginOutSchema(Out):
    name = fields.String()
    title = fields.String()
    version = fields.String(allow_none=True)


class MeSchema(Out):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    role = fields.String()
    locale = fields.String(allow_none=True)


def items_of(item: type[Schema], name: str) -> type[Schema]:
    """``{"items": [...]}``: a list wrapped in an object can grow a field without breaking."""
    return Out.from_dict({"items": fields.Nested(item, many=True)}, name=name)
