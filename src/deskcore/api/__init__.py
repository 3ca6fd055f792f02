"""The JSON API at /api/v1: bearer tokens, JSON errors, idempotent creation, OpenAPI.

Routes call the same services as the web UI; ``@endpoint`` declares each one's input and
output schemas, which validate requests and make the OpenAPI document. Plugins add routes
under ``/api/v1/<plugin>/`` with ``register_api_routes`` and the same decorator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask

from . import classifications, customers, reports, system, ticket_items, tickets  # noqa: F401
from .auth import authenticate, current_user, require
from .blueprint import bp
from .converters import IdConverter
from .endpoint import endpoint
from .errors import API_ROOT, init_errors

__all__ = ["current_user", "endpoint", "init_api", "require"]


@dataclass
class ApiState:
    """Per-app caches keyed by the enabled plugin set (``app.extensions["deskcore_api"]``)."""

    schemas: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)


def init_api(app: Flask) -> None:
    """Call before plugins register their API blueprints: they may use ``<id:...>``."""
    app.extensions["deskcore_api"] = ApiState()
    app.url_map.converters["id"] = IdConverter
    app.before_request(authenticate)
    init_errors(app)
    app.register_blueprint(bp, url_prefix=API_ROOT)
