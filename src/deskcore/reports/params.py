"""Report parameters: one declaration (``deskcore.contributions.Param``) gives the form, the
validation with per-field messages, and the typed values a report's ``run`` receives."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from marshmallow import ValidationError as SchemaError
from sqlalchemy import select

from ..contributions import Param, Report
from ..desk_time import local_date
from ..errors import ValidationError
from ..extensions import db
from ..models import Customer, Queue, Status, TicketType, User, utcnow
from ..schemas import EARLIEST, LATEST, MAX_ID, storable

#: Parameter kinds that name a row, and the table that row must exist in.
ENTITIES = {
    "agent": User,
    "queue": Queue,
    "type": TicketType,
    "status": Status,
    "customer": Customer,
}
DATE_NAMES = ("start", "end", "since", "until", "from", "to")


def today() -> date:
    """The day reports run on: the desk's date, as report periods are the desk's days."""
    return local_date(utcnow())


def days_ago(days: int):
    """A default for a start date: ``days`` days before the day the report runs."""
    return lambda: today() - timedelta(days=days)


def specs(report: Report) -> dict[str, Param]:
    """The report's parameters as ``Param``s; the short form (name → default) is guessed."""
    result = {}
    for name, declared in report.params.items():
        if isinstance(declared, Param):
            result[name] = declared
        elif isinstance(declared, bool):
            result[name] = Param("text", default=str(declared).lower())
        elif isinstance(declared, int):
            result[name] = Param("int", default=declared)
        elif isinstance(declared, date) or name in DATE_NAMES:
            result[name] = Param("date", default=declared)
        else:
            result[name] = Param("text", default=declared)
    return result


def label_of(name: str, param: Param) -> str:
    return str(param.label) if param.label else name.replace("_", " ").capitalize()


def default_of(param: Param):
    return param.default() if callable(param.default) else param.default


def _field(param: Param, **options) -> fields.Field:
    """How a parameter's value loads: the one rule per kind, which the OpenAPI document also
    describes the parameter from. Values must fit the database and the desk's calendar."""
    if param.kind == "date":
        bounds = validate.Range(min=EARLIEST.date(), max=LATEST.date())
        return fields.Date(validate=bounds, **options)
    if param.kind == "int":
        low = -MAX_ID if param.low is None else param.low
        high = MAX_ID if param.high is None else param.high
        return fields.Integer(strict=False, validate=validate.Range(min=low, max=high), **options)
    if param.kind in ENTITIES:
        return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **options)
    if param.kind == "choice":
        return fields.String(validate=validate.OneOf([v for v, _ in param.choices]), **options)
    return fields.String(validate=[validate.Length(max=200), _storable], **options)


def _storable(text: str) -> None:
    """Text a report may pass to its queries: a NUL fails PostgreSQL's text type (a 500)."""
    if not storable(text):
        raise SchemaError(_("contains characters that cannot be stored"))


def query_schema(report: Report) -> Schema:
    """The report's parameters as the OpenAPI document lists them: each one's loading field
    with its label, and its default unless that is worked out when the report runs."""
    declared = {}
    for name, param in specs(report).items():
        metadata = {"description": label_of(name, param)}
        if callable(param.default):
            metadata["description"] += (
                ". Default: worked out when the report runs (GET /reports shows it)"
            )
        elif param.default is not None:
            default = param.default
            metadata["default"] = default.isoformat() if isinstance(default, date) else default
        required = param.required and param.default is None
        declared[name] = _field(param, required=required, metadata=metadata)
    return Schema.from_dict(declared, name="ReportParams")()


def load(report: Report, given: Mapping[str, object], strict: bool = False) -> dict:
    """Typed values for ``report.run``: blanks take defaults; bad values raise ValidationError
    with one message per field. ``strict`` refuses names the report does not declare."""
    declared = specs(report)
    errors: dict[str, list[str]] = {}
    if strict:
        for name in given:
            if name not in declared:
                known = ", ".join(declared) or _("none")
                errors[name] = [_("unknown parameter (this report takes: %(known)s)", known=known)]
    present = {
        name: given[name]
        for name in declared
        if given.get(name) is not None and str(given[name]).strip() != ""
    }
    schema = Schema.from_dict({name: _field(param) for name, param in declared.items()})()
    try:
        values = schema.load(
            {k: v.strip() if isinstance(v, str) else v for k, v in present.items()}
        )
    except SchemaError as exc:
        errors.update(exc.messages)
        values = {}
    for name, param in declared.items():
        if name in errors:
            continue
        if values.get(name) is None:
            values[name] = default_of(param)
        if values[name] is None and param.required:
            errors[name] = [_("This parameter is required.")]
    if not errors:
        errors.update(_check_rows(declared, values))
        errors.update(_check_range(declared, values))
    if errors:
        raise ValidationError(errors, _("invalid report parameters"))
    return values


def _check_rows(declared: dict[str, Param], values: dict) -> dict[str, list[str]]:
    """Agents, queues, types … given by id must exist (one query per such parameter)."""
    errors = {}
    for name, param in declared.items():
        model = ENTITIES.get(param.kind)
        value = values.get(name)
        if model is None or value is None:
            continue
        if db.session.scalar(select(model.id).where(model.id == value)) is None:
            errors[name] = [_("No such record: %(id)s.", id=value)]
    return errors


def _check_range(declared: dict[str, Param], values: dict) -> dict[str, list[str]]:
    start, end = values.get("start"), values.get("end")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        return {"end": [_("The end date is before the start date.")]}
    return {}


def options(param: Param) -> list[tuple[str, str]] | None:
    """Choices for a select in the form, or None for a plain input."""
    if param.kind == "choice":
        return [(value, str(text)) for value, text in param.choices]
    if param.kind == "agent":
        stmt = select(User.id, User.name).where(User.active.is_(True)).order_by(User.name)
    elif param.kind in ("queue", "type", "status"):
        model = ENTITIES[param.kind]
        stmt = select(model.id, model.name).order_by(model.name)
    else:
        return None
    return [(str(i), name) for i, name in db.session.execute(stmt)]


def describe(report: Report) -> list[dict]:
    """Each parameter as the form and the API list it: name, label, kind, required, choices
    and its default as text ("" when it has none)."""
    return [
        {
            "name": name,
            "label": label_of(name, param),
            "kind": param.kind,
            "required": param.required,
            "default": as_text({name: default_of(param)})[name],
            "choices": [value for value, _ in param.choices],
        }
        for name, param in specs(report).items()
    ]


def as_text(values: dict) -> dict[str, str]:
    """Parameter values as they go back into a form or a query string."""
    return {
        name: value.isoformat() if isinstance(value, date) else "" if value is None else str(value)
        for name, value in values.items()
    }
