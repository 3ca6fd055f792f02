"""The application factory."""

from __future__ import annotations

from flask import Flask, jsonify, request
from flask_login import LoginManager
from werkzeug.exceptions import HTTPException

from . import config as deskcore_config
from .api import init_api
from .database import engine_options
from .errors import DeskcoreError, ValidationError
from .extensions import db
from .i18n import init_i18n
from .models import User
from .plugins import PluginRegistry
from .web import init_web
from .web.errors import error_page


def create_app(config: dict | None = None) -> Flask:
    """Build a Deskcore app from the environment, with ``config`` overriding it."""
    settings = deskcore_config.from_environment()
    settings.update(config or {})
    app = Flask("deskcore", instance_path=settings["DESKCORE_INSTANCE_PATH"])
    app.config.update(settings)
    if not app.config.get("SECRET_KEY"):
        # Kept in the instance folder so every worker and restart shares it.
        app.config["SECRET_KEY"] = deskcore_config.secret_key(
            deskcore_config.Path(app.instance_path), create=True
        )
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    )
    db.init_app(app)
    _init_login(app)
    init_api(app)
    PluginRegistry(
        load_entrypoints=app.config["DESKCORE_LOAD_ENTRYPOINTS"],
        modules=app.config["DESKCORE_PLUGIN_MODULES"],
        strict=app.config["DESKCORE_STRICT_PLUGINS"],
    ).init_app(app)
    _init_errors(app)
    init_i18n(app)
    init_web(app)
    app.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
    return app


def _init_login(app: Flask) -> None:
    login = LoginManager(app)

    @login.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _init_errors(app: Flask) -> None:
    @app.errorhandler(DeskcoreError)
    def deskcore_error(exc: DeskcoreError):
        body = {"error": exc.message}
        if isinstance(exc, ValidationError):
            body["errors"] = exc.messages
        if exc.status >= 500:
            app.logger.exception("plugin failure", exc_info=exc)
        if _wants_json():
            return jsonify(body), exc.status
        return error_page(exc.status, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _wants_json():
            return jsonify({"error": exc.description or exc.name}), exc.code
        if exc.code is not None and exc.code >= 400:
            return error_page(exc.code, exc.description)
        return exc
