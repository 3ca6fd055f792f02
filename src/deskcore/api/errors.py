"""The API answers every error in JSON: no HTML page, and no 500 that leaks a traceback."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import MethodNotAllowed

API_ROOT = "/api/v1"


def is_api_request() -> bool:
    return request.path == API_ROOT or request.path.startswith(API_ROOT + "/")


def unauthorized(token_given: bool):
    """401 with the ``WWW-Authenticate: Bearer`` challenge (RFC 6750)."""
    challenge = WWWAuthenticate("Bearer", {"realm": "deskcore"})
    if token_given:
        challenge["error"] = "invalid_token"
    message = "invalid, revoked or expired token" if token_given else "send a bearer token"
    response = jsonify({"error": message})
    response.status_code = 401
    response.www_authenticate = challenge
    return response


def init_errors(app: Flask) -> None:
    """Unexpected exceptions on API paths become a JSON 500; elsewhere Flask handles them.

    A 405 names the methods the route accepts in ``Allow`` (RFC 9110).
    """
    app.after_request(_allow_header)

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        if not is_api_request():
            raise exc
        current_app.logger.exception("API request failed", exc_info=exc)
        return jsonify({"error": "internal error; it has been logged"}), 500


def _allow_header(response: Response) -> Response:
    """The JSON 405 keeps the ``Allow`` header werkzeug's exception carried."""
    routing = request.routing_exception
    if isinstance(routing, MethodNotAllowed) and routing.valid_methods and is_api_request():
        response.headers["Allow"] = ", ".join(sorted(routing.valid_methods))
    return response
