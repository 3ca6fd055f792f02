"""The OpenAPI 3 document, built from the routes' ``@endpoint`` declarations (apispec).

Built once per enabled set of plugins and kept: routes never change after start-up, and a
disabled plugin's routes (and fields) must leave the document as soon as it is disabled.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from http import HTTPStatus
from urllib.parse import quote

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import current_app
from flask_babel import force_locale
from werkzeug.routing import IntegerConverter, Rule

from ..i18n import SOURCE_LANGUAGE
from ..plugins import registry
from ..schemas import MAX_ID, BaseSchema
from .converters import IdConverter
from .endpoint import Endpoint
from .errors import API_ROOT
from .resources import ErrorSchema

OPENAPI_VERSION = "3.0.3"
_VARIABLE = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")
#: What each status means, shown for every route that can answer it.
ERRORS = {
    400: "Bad input: the body, a query parameter or a header; `errors` names each field",
    401: "Missing, unknown or revoked token, or its user is deactivated",
    403: "The user's role does not allow this",
    404: "No such resource",
    409: "The resource's state does not allow this, or a plugin refused it",
    422: "The Idempotency-Key was already used with a different request",
}
DESCRIPTION = (
    "JSON API of the Deskcore helpdesk. Authenticate with a personal token "
    "(`deskcore tokens create --user EMAIL`) sent as `Authorization: Bearer <token>`. "
    "POSTs that create accept an `Idempotency-Key` header: a retry with the same key "
    "returns the first answer and creates nothing."
)


def openapi_document() -> dict:
    """The document for the plugins enabled now."""
    cache = current_app.extensions["deskcore_api"].documents
    enabled = frozenset(registry().enabled_names())
    if enabled not in cache:
        # One document for every reader: report titles and labels in the source language,
        # like the rest of it, not in the language of whoever asked first.
        with force_locale(SOURCE_LANGUAGE):
            cache[enabled] = _build(enabled)
    return cache[enabled]


def _build(enabled: frozenset[str]) -> dict:
    spec = APISpec(
        title="Deskcore API",
        version="1",
        openapi_version=OPENAPI_VERSION,
        plugins=[MarshmallowPlugin(schema_name_resolver=schema_name)],
        info={"description": DESCRIPTION},
        servers=[{"url": API_ROOT}],
        security=[{"bearer": []}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=ErrorSchema)
    owners = registry().blueprint_owners
    paths: dict[str, dict] = {}
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        view = current_app.view_functions[rule.endpoint]
        declared: Endpoint | None = getattr(view, "deskcore_api", None)
        owner = owners.get(rule.endpoint.rpartition(".")[0])
        if declared is None or (owner is not None and owner not in enabled):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for path, operation in _operations(rule, view, declared, owner):
                # A path met twice (two reports of one name): the first is the one served.
                paths.setdefault(path, {}).setdefault(method.lower(), operation)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return _plain_numbers(spec.to_dict())


def _plain_numbers(value):
    """Decimal bounds (``Range(max=Decimal(...))``) as JSON numbers, not strings."""
    if isinstance(value, dict):
        return {key: _plain_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_numbers(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def schema_name(schema) -> str:
    """Component names: ``Ticket`` for output, ``TicketOpenInput`` for input,
    ``CustomerPartial`` for a PATCH body where every field is optional."""
    cls = resolve_schema_cls(schema)
    name = cls.__name__.removesuffix("Schema").removesuffix("Out")
    if not issubclass(cls, BaseSchema):
        return name
    return name + ("Partial" if getattr(schema, "partial", False) else "Input")


def _operations(rule: Rule, view, declared: Endpoint, owner: str | None):
    """``(path, operation)``: the templated path, or each of the route's concrete paths."""
    if declared.concrete_paths is None:
        yield _path(rule), _operation(rule, view, declared, owner)
        return
    for concrete in declared.concrete_paths():
        variant = replace(
            declared,
            summary=concrete.summary,
            description=concrete.description,
            query=concrete.query,
        )
        plugin = concrete.plugin or owner
        yield (
            _path(rule, concrete.arguments),
            _operation(rule, view, variant, plugin, concrete.arguments),
        )


def _path(rule: Rule, bound: dict[str, str] | None = None) -> str:
    """The rule's path in OpenAPI's syntax, with the ``bound`` arguments' values filled in."""
    bound = bound or {}

    def variable(match: re.Match) -> str:
        name = match.group(1)
        return quote(bound[name], safe="") if name in bound else "{" + name + "}"

    return _VARIABLE.sub(variable, rule.rule).removeprefix(API_ROOT)


def _operation(
    rule: Rule, view, declared: Endpoint, plugin: str | None, bound: dict[str, str] | None = None
) -> dict:
    bound = bound or {}
    free = sorted(set(rule.arguments) - set(bound))
    parameters = [_path_parameter(rule, name) for name in free]
    statuses = set(declared.errors) if declared.public else {401, 403} | declared.errors
    if free:
        statuses.add(404)
    if declared.query is not None:
        parameters.append({"in": "query", "schema": declared.query})
        statuses.add(400)
    operation: dict = {
        "operationId": "_".join([rule.endpoint.replace(".", "_"), *bound.values()]),
        "summary": declared.summary,
        "tags": [plugin or view.__module__.rpartition(".")[2]],
        "parameters": parameters,
    }
    if declared.public:
        operation["security"] = []
    if declared.description:
        operation["description"] = declared.description
    if declared.body is not None:
        body = declared.body(partial=True) if declared.partial else declared.body
        operation["requestBody"] = {
            "required": declared.body_required,
            "content": {"application/json": {"schema": body}},
        }
        statuses.add(400)
    if declared.idempotent:
        parameters.append(IDEMPOTENCY_KEY)
        statuses |= {400, 422}
    operation["responses"] = {str(declared.status): _success(declared)} | {
        str(code): {
            "description": ERRORS.get(code) or HTTPStatus(code).phrase,
            "content": {"application/json": {"schema": "Error"}},
        }
        for code in sorted(statuses)
    }
    return operation


IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Any unique string (a UUID): retries with it return the first answer",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}


def _success(declared: Endpoint) -> dict:
    answer: dict = {"description": "Created" if declared.status == 201 else "OK"}
    schema = declared.response_schema() or {"type": "object"}
    answer["content"] = {"application/json": {"schema": schema}}
    return answer


def _path_parameter(rule: Rule, name: str) -> dict:
    converter = rule._converters.get(name)
    schema: dict = {"type": "string"}
    if isinstance(converter, IdConverter):
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    elif isinstance(converter, IntegerConverter):
        schema = {"type": "integer", "minimum": converter.min or 0}
        if converter.max is not None:
            schema["maximum"] = converter.max
    return {"in": "path", "name": name, "required": True, "schema": schema}
