"""Admin rules for classifications: ticket types, priorities, topics, commitment types,
statuses (with category and transitions) and queues (with members).

Every rule an admin page relies on lives here, so the CLI or the API can reuse them: names are
unique per kind, a default is unique (per category for statuses), and the desk is never left
without what tickets need — an active type, priority, open status and closed status.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate
from sqlalchemy import func, select

from ..errors import Conflict, NotFound, ValidationError
from ..extensions import db
from ..models import (
    CommitmentType,
    Priority,
    Queue,
    Status,
    StatusCategory,
    TicketType,
    Topic,
    User,
)
from ..schemas import BaseSchema, one_of
from .unit_of_work import unit_of_work
from .unit_of_work import validate as validate_with

#: URL name → model of each admin-editable classification.
KINDS = {
    "types": TicketType,
    "priorities": Priority,
    "topics": Topic,
    "commitment-types": CommitmentType,
    "statuses": Status,
    "queues": Queue,
}
#: Kinds a ticket cannot be opened without: the last active one stays active.
REQUIRED_KINDS = {TicketType: "ticket type", Priority: "priority"}
#: Status categories the desk needs at least one active status of (open, close).
REQUIRED_CATEGORIES = (StatusCategory.OPEN, StatusCategory.CLOSED)
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


class ClassificationSchema(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    position = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10000))
    is_default = fields.Boolean(load_default=False)


class StatusSchema(ClassificationSchema):
    code = fields.String(required=True, validate=[validate.Length(max=40), validate.Regexp(_CODE)])
    category = fields.String(required=True, validate=one_of(StatusCategory))
    next_status_ids = fields.List(fields.Integer(strict=True), load_default=list)


class QueueSchema(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    description = fields.String(
        allow_none=True, load_default=None, validate=validate.Length(max=500)
    )
    member_ids = fields.List(fields.Integer(strict=True), load_default=list)


def model_for(kind: str):
    try:
        return KINDS[kind]
    except KeyError:
        raise NotFound(_l("unknown classification '%(kind)s'", kind=kind)) from None


def _schema_for(model):
    return {Status: StatusSchema, Queue: QueueSchema}.get(model, ClassificationSchema)


def get_row(kind: str, row_id: int):
    row = db.session.get(model_for(kind), row_id)
    if row is None:
        raise NotFound(_l("%(kind)s %(id)s not found", kind=kind, id=row_id))
    return row


def list_rows(kind: str) -> list:
    """Every row, active first, in the order agents see them."""
    model = model_for(kind)
    order = [model.active.desc()]
    if hasattr(model, "position"):
        order.append(model.position)
    return list(db.session.scalars(select(model).order_by(*order, model.name)))


def create_row(kind: str, data: dict):
    model = model_for(kind)
    values = validate_with(_schema_for(model), data)
    with unit_of_work():
        row = model()
        with db.session.no_autoflush:
            _apply(row, values)
        db.session.add(row)
    return row


def update_row(kind: str, row_id: int, data: dict):
    model = model_for(kind)
    values = validate_with(_schema_for(model), data)
    with unit_of_work():
        row = get_row(kind, row_id)
        with db.session.no_autoflush:
            _apply(row, values)
    return row


def set_active(kind: str, row_id: int, active: bool):
    """Deactivate (hidden from new choices, kept on old tickets) or activate again."""
    with unit_of_work():
        row = get_row(kind, row_id)
        if not active and row.active:
            _keep_what_tickets_need(row)
        row.active = active
    return row


def _apply(row, values: dict) -> None:
    model = type(row)
    _unique(model, "name", values["name"], row)
    row.name = values["name"]
    if model is Queue:
        row.description = values["description"] or ""
        row.members = [
            _existing(User, i, "member_ids") for i in dict.fromkeys(values["member_ids"])
        ]
        return
    row.position = values["position"]
    if model is Status:
        _unique(model, "code", values["code"], row)
        if row.id is not None and row.category != values["category"]:
            _keep_what_tickets_need(row)
        row.code, row.category = values["code"], values["category"]
        targets = [
            _existing(Status, i, "next_status_ids")
            for i in dict.fromkeys(values["next_status_ids"])
        ]
        if any(t is row for t in targets):
            raise ValidationError({"next_status_ids": [_l("a status cannot lead to itself")]})
        row.next_statuses = targets
    if hasattr(model, "is_default"):
        row.is_default = values["is_default"]
        if row.is_default:
            _only_default(row)


def _unique(model, column: str, value: str, row) -> None:
    stmt = select(model.id).where(func.lower(getattr(model, column)) == value.lower())
    if row.id is not None:
        stmt = stmt.where(model.id != row.id)
    if db.session.scalar(stmt) is not None:
        raise ValidationError({column: [_l("'%(value)s' is already used", value=value)]})


def _existing(model, row_id: int, field: str):
    row = db.session.get(model, row_id)
    if row is None:
        raise ValidationError({field: [_l("unknown id %(id)s", id=row_id)]})
    return row


def _only_default(row) -> None:
    """One default per kind (per category for statuses)."""
    model = type(row)
    stmt = select(model).where(model.is_default.is_(True))
    if model is Status:
        stmt = stmt.where(Status.category == row.category)
    for other in db.session.scalars(stmt):
        if other is not row:
            other.is_default = False


def _keep_what_tickets_need(row) -> None:
    """Refuse to take away the last active type, priority, open status or closed status."""
    model = type(row)
    if model is Status and row.category in REQUIRED_CATEGORIES:
        others = select(func.count(Status.id)).where(
            Status.active.is_(True), Status.category == row.category, Status.id != row.id
        )
        if not db.session.scalar(others):
            raise Conflict(
                _l(
                    "'%(name)s' is the last active %(category)s status",
                    name=row.name,
                    category=row.category,
                )
            )
    elif model in REQUIRED_KINDS:
        others = select(func.count(model.id)).where(model.active.is_(True), model.id != row.id)
        if not db.session.scalar(others):
            raise Conflict(
                _l(
                    "'%(name)s' is the last active %(kind)s",
                    name=row.name,
                    kind=REQUIRED_KINDS[model],
                )
            )
