"""Reports over the API, for supervisors and admins: the list of reports with their
parameters and columns, and one report's rows for the parameters in the query string."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import request
from marshmallow import fields

from ..models import Role
from ..reports import params, registry
from .blueprint import bp
from .endpoint import ConcretePath, endpoint
from .resources import Out, items_of


class ColumnOutSchema(Out):
    key = fields.String()
    label = fields.String()
    kind = fields.String()


class ParamOutSchema(Out):
    name = fields.String()
    label = fields.String()
    kind = fields.String()
    required = fields.Boolean()
    default = fields.String(allow_none=True)
    choices = fields.List(fields.String())


class ReportOutSchema(Out):
    name = fields.String()
    title = fields.String()
    description = fields.String()
    source = fields.String(metadata={"description": '"core" or the plugin\'s name'})
    params = fields.List(fields.Nested(ParamOutSchema))
    columns = fields.List(fields.Nested(ColumnOutSchema))


class ReportResultSchema(Out):
    name = fields.String()
    params = fields.Dict(keys=fields.String(), values=fields.String())
    columns = fields.List(fields.Nested(ColumnOutSchema))
    rows = fields.List(
        fields.Dict(),
        metadata={"description": "one object per row, keyed by column; dates in ISO 8601"},
    )


def _columns(columns) -> list[dict]:
    return [{"key": c.key, "label": str(c.label or c.key), "kind": c.kind} for c in columns]


def _describe(entry: registry.Entry) -> dict:
    report = entry.report
    return {
        "name": report.name,
        "title": str(report.title),
        "description": str(report.description),
        "source": entry.source,
        "params": [
            {**param, "default": param["default"] or None} for param in params.describe(report)
        ],
        "columns": _columns(report.columns),
    }


def json_value(value):
    """Row values as JSON: ISO dates, money as exact text, the rest as it is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


@bp.get("/reports")
@endpoint(response=items_of(ReportOutSchema, "ReportList"), role=Role.SUPERVISOR)
def reports_list():
    """Every report: core ones and those of the enabled plugins, with parameters and columns."""
    return {"items": [_describe(entry) for entry in registry.entries()]}


def report_paths() -> list[ConcretePath]:
    """Each report of the enabled plugins at its own path, with its parameters: the document
    then lists every parameter, which one templated path could not."""
    return [
        ConcretePath(
            arguments={"name": entry.report.name},
            summary=str(entry.report.title),
            description=str(entry.report.description),
            query=params.query_schema(entry.report),
            plugin=None if entry.source == "core" else entry.source,
        )
        for entry in registry.entries()
    ]


@bp.get("/reports/<name>")
@endpoint(response=ReportResultSchema, role=Role.SUPERVISOR, concrete_paths=report_paths)
def report_rows(name: str):
    """Run one report; its parameters go in the query string (see the report list).

    An unknown or invalid parameter answers 400 with a message per parameter.
    """
    entry = registry.get(name)
    result = registry.run(entry.report, request.args.to_dict(), strict=True)
    return {
        "name": entry.report.name,
        "params": params.as_text(result.values),
        "columns": _columns(result.columns),
        "rows": [{k: json_value(v) for k, v in row.items()} for row in result.rows],
    }
