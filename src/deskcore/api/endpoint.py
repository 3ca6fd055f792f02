"""``@endpoint``: one declaration per route that validates the request, checks the role, runs
the view in one transaction, dumps the answer, and tells the OpenAPI document all of it.

Plugins use it for their own routes under ``/api/v1/<plugin>/``::

    from deskcore.api import endpoint

    @api.post("/claims")
    @endpoint(body=ClaimSchema, response=ClaimOutSchema, status=201, errors=(409,))
    def create_claim(body):
        return open_claim(body, current_user())
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Response, jsonify, request
from marshmallow import Schema

from ..errors import ValidationError
from ..extensions import db
from ..models import Role
from ..services import idempotency
from ..services.unit_of_work import forget_validation, schema_instance, unit_of_work, validate
from .auth import current_user, require

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: A schema class, or a function returning one for the current request (plugin fields vary).
SchemaSource = type[Schema] | Callable[[], type[Schema]]


@dataclass(frozen=True)
class ConcretePath:
    """One value of a route's path arguments, documented as an operation of its own: its
    summary, description and query parameters, and the plugin it belongs to (None: core)."""

    arguments: dict[str, str]
    summary: str
    description: str
    query: Schema | None
    plugin: str | None = None


@dataclass(frozen=True)
class Endpoint:
    """What a route declares; ``deskcore.api.openapi`` documents routes from this alone."""

    summary: str
    description: str
    response: SchemaSource | None
    status: int
    body: type[Schema] | None
    partial: bool
    body_required: bool
    query: type[Schema] | None
    role: Role
    errors: frozenset[int]
    idempotent: bool
    public: bool
    concrete_paths: Callable[[], Iterable[ConcretePath]] | None

    def response_schema(self) -> Schema | None:
        if self.response is None:
            return None
        source = self.response
        return schema_instance(source if isinstance(source, type) else source())


def endpoint(
    *,
    response: SchemaSource | None = None,
    status: int = 200,
    body: type[Schema] | None = None,
    partial: bool = False,
    body_required: bool = True,
    query: type[Schema] | None = None,
    role: Role = Role.AGENT,
    errors: Iterable[int] = (),
    idempotent: bool = False,
    public: bool = False,
    concrete_paths: Callable[[], Iterable[ConcretePath]] | None = None,
):
    """Declare a JSON route.

    The view gets the path arguments, plus ``body`` (the JSON object, checked against
    ``body``; services load it themselves) and ``query`` (loaded by ``query``) when declared,
    and returns what ``response`` dumps. ``errors`` lists the statuses its services may
    answer besides the ones the declaration implies. ``idempotent`` POSTs honour
    ``Idempotency-Key``. Without ``response`` the view's return value is sent as it is.
    ``public`` routes need no token (they must also be in ``auth.PUBLIC_PATHS``).
    ``concrete_paths`` documents the route as one operation per path it returns (for the
    enabled plugins) instead of one templated path: each report at ``/reports/<its name>``.
    """

    def decorate(view: Callable) -> Callable:
        doc = (view.__doc__ or "").strip()
        summary, _, description = doc.partition("\n")
        spec = Endpoint(
            summary=summary.strip() or view.__name__.replace("_", " "),
            description=" ".join(description.split()),
            response=response,
            status=status,
            body=body,
            partial=partial,
            body_required=body_required,
            query=query,
            role=role,
            errors=frozenset(errors),
            idempotent=idempotent,
            public=public,
            concrete_paths=concrete_paths,
        )

        @functools.wraps(view)
        def run(**kwargs) -> Response:
            if not spec.public:
                require(spec.role)
            if spec.query is not None:
                kwargs["query"] = _load_query(spec.query)
            if spec.body is not None:
                kwargs["body"] = _json_body(spec)
            try:
                if request.method not in WRITE_METHODS:
                    return _json(spec.status, _dump(spec, view(**kwargs)))
                return _write(spec, view, kwargs)
            finally:
                forget_validation()

        run.deskcore_api = spec
        return run

    return decorate


def _load_query(schema: type[Schema]) -> dict:
    args = request.args
    return validate(schema, {k: args[k] for k in schema._declared_fields if k in args})


def _json_body(spec: Endpoint) -> dict:
    raw = request.get_data(cache=True)
    if not raw.strip():
        if spec.body_required:
            raise ValidationError({"_body": ["send a JSON object"]}, "the request has no body")
        return {}
    if not request.is_json:
        raise ValidationError(
            {"_body": ["send the body as JSON with Content-Type: application/json"]},
            f"unsupported content type '{request.mimetype}'",
        )
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise ValidationError({"_body": ["not valid JSON"]}, "malformed JSON body") from None
    if not isinstance(data, dict):
        raise ValidationError({"_body": ["expected a JSON object"]})
    validate(spec.body, data, partial=spec.partial, keep=True)
    return data


def _dump(spec: Endpoint, result) -> dict | None:
    schema = spec.response_schema()
    return result if schema is None else schema.dump(result)


def _write(spec: Endpoint, view: Callable, kwargs: dict) -> Response:
    """Run the view and dump its result in one transaction (the services join it)."""

    def create() -> tuple[int, dict | None]:
        result = view(**kwargs)
        db.session.flush()  # ids and defaults of new rows, for the answer
        return spec.status, _dump(spec, result)

    key = request.headers.get("Idempotency-Key") if spec.idempotent else None
    if key is None:
        # A creating route leaves the write lock to its service (opening a ticket defers it).
        with unit_of_work(defer_lock=spec.idempotent):
            status, body = create()
        return _json(status, body)
    fingerprint = idempotency.fingerprint(request.method, request.path, kwargs.get("body"))
    status, body, replayed = idempotency.run_once(
        current_user(), idempotency.check_key(key), fingerprint, create
    )
    response = _json(status, body)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _json(status: int, body: dict | None) -> Response:
    if body is None:
        return Response(status=status)
    response = jsonify(body)
    response.status_code = status
    return response
