"""marshmallow schemas validating the input of every service; the API reuses them."""

from __future__ import annotations

from datetime import UTC

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from .models import Channel, Coverage, CustomerKind, Role, Visibility
from .normalize import phone_digits


def _choice(enum) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum])


def _text(max_length: int, **kwargs) -> fields.String:
    """Optional free text: missing, null and blank all mean empty."""
    return fields.String(
        validate=validate.Length(max=max_length), allow_none=True, load_default=None, **kwargs
    )


def _required_text(max_length: int) -> fields.String:
    return fields.String(required=True, validate=validate.Length(min=1, max=max_length))


def _aware_datetime(**kwargs) -> fields.AwareDateTime:
    """Datetimes without a zone are taken as UTC."""
    return fields.AwareDateTime(default_timezone=UTC, **kwargs)


class _Base(Schema):
    class Meta:
        unknown = EXCLUDE

    #: Fields whose surrounding spaces matter.
    keep_spaces: frozenset[str] = frozenset({"password"})

    @pre_load
    def _blank_is_not_given(self, data, **kwargs):
        """Strip every string; a blank one counts as null, so required text must be real text."""
        if not isinstance(data, dict):
            raise ValidationError("expected an object", "_schema")
        return {
            key: (value.strip() or None)
            if isinstance(value, str) and key not in self.keep_spaces
            else value
            for key, value in data.items()
        }


class PhoneSchema(_Base):
    number = _required_text(40)
    label = fields.String(validate=validate.Length(max=40), load_default="")

    @validates_schema
    def _has_digits(self, data, **kwargs):
        if len(phone_digits(data.get("number", ""))) < 3:
            raise ValidationError("a phone number needs at least 3 digits", "number")


class CustomerSchema(_Base):
    kind = fields.String(validate=_choice(CustomerKind), load_default=CustomerKind.CUSTOMER.value)
    name = _required_text(200)
    national_id = _text(40)
    email = fields.Email(allow_none=True, load_default=None, validate=validate.Length(max=254))
    address = _text(2000)
    city = _text(120)
    notes = _text(10000)
    phones = fields.List(fields.Nested(PhoneSchema), load_default=list)


class TicketFieldsSchema(_Base):
    """Fields an agent may set when opening or editing a ticket."""

    customer_id = fields.Integer(strict=True)
    consultant_id = fields.Integer(strict=True, allow_none=True)
    subject = _required_text(200)
    symptom = _text(20000)
    type_id = fields.Integer(strict=True, allow_none=True)
    priority_id = fields.Integer(strict=True, allow_none=True)
    topic_id = fields.Integer(strict=True, allow_none=True)
    channel = fields.String(validate=_choice(Channel))
    received_at = _aware_datetime()
    estimated_close_on = fields.Date(allow_none=True)
    serial_number = _text(80)
    order_ref = _text(80)
    payment_ref = _text(80)
    dispatch_ref = _text(80)
    diagnosis = _text(20000)
    resolution = _text(20000)


class TicketOpenSchema(TicketFieldsSchema):
    customer_id = fields.Integer(strict=True, required=True)
    channel = fields.String(validate=_choice(Channel), load_default=Channel.PHONE.value)
    queue_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    assignee_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    related = fields.List(fields.Integer(strict=True), load_default=list)
    extra = fields.Dict(keys=fields.String(), load_default=dict)


class StatusChangeSchema(_Base):
    status_id = fields.Integer(strict=True, required=True)
    resolution = _text(20000)


class CloseSchema(_Base):
    resolution = _required_text(20000)
    status_id = fields.Integer(strict=True, allow_none=True, load_default=None)


class ReassignSchema(_Base):
    queue_id = fields.Integer(strict=True, allow_none=True)
    assignee_id = fields.Integer(strict=True, allow_none=True)

    @validates_schema
    def _something_to_change(self, data, **kwargs):
        if "queue_id" not in data and "assignee_id" not in data:
            raise ValidationError("give a queue, an assignee or both", "_schema")


class CommentSchema(_Base):
    body = _required_text(50000)
    visibility = fields.String(validate=_choice(Visibility), load_default=Visibility.INTERNAL.value)


class TimeEntrySchema(_Base):
    minutes = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=1440))
    spent_on = fields.Date(load_default=None)
    note = _text(2000)


class CommitmentSchema(_Base):
    type_id = fields.Integer(strict=True, required=True)
    responsible_id = fields.Integer(strict=True, required=True)
    due_at = _aware_datetime(required=True)
    note = _text(2000)


class RescheduleSchema(_Base):
    due_at = _aware_datetime(required=True)
    reason = _text(2000)


class CoverageOverrideSchema(_Base):
    kind = fields.String(required=True, validate=_choice(Coverage))
    reason = _required_text(300)


class UserSchema(_Base):
    name = _required_text(120)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    role = fields.String(validate=_choice(Role), load_default=Role.AGENT.value)
    password = fields.String(required=True, validate=validate.Length(min=8, max=200))
    locale = fields.String(
        allow_none=True, load_default=None, validate=validate.OneOf(["es", "en"])
    )
