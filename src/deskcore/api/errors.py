"""The API answers every error in JSON: no HTML page, and no 500 that leaks a traceback."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, request
from werkzeug.datastructures import WWWAuthenticate

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
    """Unexpected exceptions on API paths become a JSON 500; elsewhere Flask handles them."""

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        if not is_api_request():
            raise exc
        current_app.logger.exception("API request failed", exc_info=exc)
        return jsonify({"error": "internal error; it has been logged"}), 500
