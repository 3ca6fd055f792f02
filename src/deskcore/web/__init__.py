"""The agent web UI: one blueprint per area, shared layout, login, roles and CSRF.

Every page needs a logged-in user (``PUBLIC_ENDPOINTS`` aside); each blueprint states the
least role it accepts. Every form POST carries a CSRF token; the JSON API under ``/api/``
authenticates with bearer tokens instead and is left to its own blueprint.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from itsdangerous import URLSafeTimedSerializer

from . import admin, auth, customers, dashboard, layout, profile, reports, search, tickets
from .access import is_public, public

__all__ = ["PUBLIC_ENDPOINTS", "init_web", "public"]

#: Core endpoints reachable without logging in; plugins mark theirs with ``@public``.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "desk.static", "static", "healthz"})
API_PREFIX = "/api/"

#: Holds the shared templates and the static files (/static/desk/...).
assets = Blueprint(
    "desk",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/desk",
)


def init_web(app: Flask) -> None:
    """Register the UI blueprints, login and CSRF enforcement, layout helpers, error pages."""
    _secure_cookies(app)
    csrf = CSRFProtect()
    # Checked by ``_guard`` below so the token-authenticated API is not asked for one.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    app.register_blueprint(assets)
    for module in (auth, search, customers, tickets, profile, admin, dashboard, reports):
        app.register_blueprint(module.bp)
    layout.init_layout(app)

    @app.before_request
    def _guard():
        # A request never inherits the user or language of an earlier one that shared its
        # app context (as tests and ``app.test_client()`` inside ``app.app_context()`` do).
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)
        if request.path.startswith(API_PREFIX) or request.endpoint is None:
            return None
        if app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect(apply_exemptions=True)
        if current_user.is_authenticated or request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if is_public(app.view_functions.get(request.endpoint)):
            return None
        return app.login_manager.unauthorized()

    app.after_request(_security_headers)


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signer built once per set of keys instead of
    on every request (about a tenth of a small API request's cost)."""

    def __init__(self):
        self._signers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if keys not in self._signers:
            self._signers = {keys: super().get_signing_serializer(app)}
        return self._signers[keys]


def _secure_cookies(app: Flask) -> None:
    """Session and remember-me cookies: HTTP-only, same-site, secure when served over TLS."""
    app.session_interface = _SessionInterface()
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config.get("SESSION_COOKIE_SECURE", False))
    app.login_manager.login_view = "auth.login"
    app.login_manager.login_message = _l("Please log in to open this page.")


#: No inline scripts or styles anywhere: a strict policy costs nothing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response):
    if not request.path.startswith(API_PREFIX):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
