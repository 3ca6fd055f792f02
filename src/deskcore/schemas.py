"""marshmallow schemas validating the input of every service; the API reuses them."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from .models import Channel, Coverage, CustomerKind, Role, StatusCategory, Visibility
from .normalize import phone_digits


def storable(text: str) -> bool:
    """No NUL and no lone surrogate: neither survives UTF-8 nor a PostgreSQL text column."""
    if text.isascii():
        return "\x00" not in text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def one_of(enum) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum])


def _text(max_length: int, **kwargs) -> fields.String:
    """Optional free text: missing, null and blank all mean empty."""
    return fields.String(
        validate=validate.Length(max=max_length), allow_none=True, load_default=None, **kwargs
    )


def _required_text(max_length: int) -> fields.String:
    return fields.String(required=True, validate=validate.Length(min=1, max=max_length))


#: The largest id or number the database's integer columns hold (PostgreSQL ``integer``).
MAX_ID = 2**31 - 1
#: Dates and times outside these bounds are typing errors, and past them converting between
#: time zones (or adding a day) overflows.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def _aware_datetime(**kwargs) -> fields.AwareDateTime:
    """Datetimes without a zone are taken as UTC."""
    return fields.AwareDateTime(
        default_timezone=UTC, validate=validate.Range(min=EARLIEST, max=LATEST), **kwargs
    )


def _date(**kwargs) -> fields.Date:
    return fields.Date(validate=validate.Range(min=EARLIEST.date(), max=LATEST.date()), **kwargs)


def _id(strict: bool = True, **kwargs) -> fields.Integer:
    """An id (or human number) that fits the database; JSON ids must be real integers."""
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class BaseSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    #: Fields whose surrounding spaces matter.
    keep_spaces: frozenset[str] = frozenset({"password"})

    @pre_load
    def _blank_is_not_given(self, data, **kwargs):
        """Strip every string; a blank one counts as null, so required text must be real text."""
        if not isinstance(data, dict):
            raise ValidationError(_("expected an object"), "_schema")
        for key, value in data.items():
            if isinstance(value, str) and not storable(value):
                raise ValidationError(_("contains characters that cannot be stored"), key)
        return {
            key: (value.strip() or None)
            if isinstance(value, str) and key not in self.keep_spaces
            else value
            for key, value in data.items()
        }


class PhoneSchema(BaseSchema):
    number = _required_text(40)
    label = fields.String(validate=validate.Length(max=40), load_default="")

    @validates_schema
    def _has_digits(self, data, **kwargs):
        if len(phone_digits(data.get("number", ""))) < 3:
            raise ValidationError(_("a phone number needs at least 3 digits"), "number")


class CustomerSchema(BaseSchema):
    kind = fields.String(validate=one_of(CustomerKind), load_default=CustomerKind.CUSTOMER.value)
    name = _required_text(200)
    national_id = _text(40)
    email = fields.Email(allow_none=True, load_default=None, validate=validate.Length(max=254))
    address = _text(2000)
    city = _text(120)
    notes = _text(10000)
    phones = fields.List(
        fields.Nested(PhoneSchema), load_default=list, validate=validate.Length(max=20)
    )


class TicketFieldsSchema(BaseSchema):
    """Fields an agent may set when opening or editing a ticket."""

    customer_id = _id()
    consultant_id = _id(allow_none=True)
    subject = _required_text(200)
    symptom = _text(20000)
    type_id = _id(allow_none=True)
    priority_id = _id(allow_none=True)
    topic_id = _id(allow_none=True)
    channel = fields.String(validate=one_of(Channel))
    received_at = _aware_datetime()
    estimated_close_on = _date(allow_none=True)
    serial_number = _text(80)
    order_ref = _text(80)
    payment_ref = _text(80)
    dispatch_ref = _text(80)
    diagnosis = _text(20000)
    resolution = _text(20000)


class TicketOpenSchema(TicketFieldsSchema):
    customer_id = _id(required=True)
    channel = fields.String(validate=one_of(Channel), load_default=Channel.PHONE.value)
    queue_id = _id(allow_none=True, load_default=None)
    assignee_id = _id(allow_none=True, load_default=None)
    related = fields.List(_id(), load_default=list, validate=validate.Length(max=50))
    extra = fields.Dict(keys=fields.String(), load_default=dict)


class StatusChangeSchema(BaseSchema):
    status_id = _id(required=True)
    resolution = _text(20000)


class CloseSchema(BaseSchema):
    resolution = _required_text(20000)
    status_id = _id(allow_none=True, load_default=None)


class ReassignSchema(BaseSchema):
    queue_id = _id(allow_none=True)
    assignee_id = _id(allow_none=True)

    @validates_schema
    def _something_to_change(self, data, **kwargs):
        if "queue_id" not in data and "assignee_id" not in data:
            raise ValidationError(_("give a queue, an assignee or both"), "_schema")


class CommentSchema(BaseSchema):
    body = _required_text(50000)
    visibility = fields.String(validate=one_of(Visibility), load_default=Visibility.INTERNAL.value)


class TimeEntrySchema(BaseSchema):
    minutes = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=1440))
    spent_on = _date(load_default=None)
    note = _text(2000)


class CommitmentSchema(BaseSchema):
    type_id = _id(required=True)
    responsible_id = _id(required=True)
    due_at = _aware_datetime(required=True)
    note = _text(2000)


class RescheduleSchema(BaseSchema):
    due_at = _aware_datetime(required=True)
    reason = _text(2000)


class CoverageOverrideSchema(BaseSchema):
    kind = fields.String(required=True, validate=one_of(Coverage))
    reason = _required_text(300)


class UserSchema(BaseSchema):
    name = _required_text(120)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    role = fields.String(validate=one_of(Role), load_default=Role.AGENT.value)
    password = fields.String(required=True, validate=validate.Length(min=8, max=200))
    locale = fields.String(
        allow_none=True, load_default=None, validate=validate.OneOf(["es", "en"])
    )


#: Sort orders and quick views of the ticket list.
TICKET_SORTS = ("-number", "number", "-received_at", "received_at")
TICKET_VIEWS = ("mine", "unassigned", "waiting", "overdue_commitments", "open")
MAX_PAGE_SIZE = 200


class TicketFilterSchema(BaseSchema):
    """Query parameters of the ticket list (web and API)."""

    received_from = _date()
    received_to = _date()
    type_id = _id(strict=False)
    status_id = _id(strict=False)
    status_category = fields.String(validate=one_of(StatusCategory))
    priority_id = _id(strict=False)
    queue_id = _id(strict=False)
    assignee_id = _id(strict=False)
    customer_id = _id(strict=False)
    consultant_id = _id(strict=False)
    entered_by_id = _id(strict=False)
    order_ref = fields.String(validate=validate.Length(max=80))
    payment_ref = fields.String(validate=validate.Length(max=80))
    dispatch_ref = fields.String(validate=validate.Length(max=80))
    serial_number = fields.String(validate=validate.Length(max=80))
    coverage = fields.String(validate=one_of(Coverage))
    q = fields.String(validate=validate.Length(max=200))
    view = fields.String(validate=validate.OneOf(TICKET_VIEWS))
    sort = fields.String(validate=validate.OneOf(TICKET_SORTS), load_default="-number")
    cursor = fields.String(validate=validate.Length(max=200))
    limit = fields.Integer(validate=validate.Range(min=1, max=MAX_PAGE_SIZE), load_default=50)

    @validates_schema
    def _range_in_order(self, data, **kwargs):
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise ValidationError(_("must not be after received_to"), "received_from")
