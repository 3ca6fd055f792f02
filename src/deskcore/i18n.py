"""Languages: Flask-Babel with Spanish and English, and translations shipped by plugins.

Core catalogs live in ``deskcore/translations``; every loaded plugin may ship a
``translations`` folder beside its module (same ``messages`` domain). All are merged into one
catalog, so one ``_()`` call finds both; core's is merged last, so a plugin cannot change how
core's own words read. The agent's saved language wins; until one is chosen the
browser's ``Accept-Language`` decides.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, force_locale, get_locale
from flask_babel.speaklater import LazyString
from flask_login import current_user

from .config import LANGUAGES
from .plugins import registry

#: The desk's language when DESKCORE_LANGUAGE does not set one.
DEFAULT_LANGUAGE = "en"
#: The language of the source text: what the CLI and the logs read.
SOURCE_LANGUAGE = "en"
CORE_TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    """The user's saved language, else the best match of the browser's languages, else the
    desk's (``DESKCORE_LANGUAGE``).

    Outside a request (CLI commands, logs, work after a commit) there is no reader: the source
    text. Work that stores text for everyone picks the desk's language itself (coverage).
    """
    if not has_request_context():
        return SOURCE_LANGUAGE
    # An API call's user comes from its token, a page's from the session.
    user = g.get("deskcore_api_user") or current_user
    if user and user.is_authenticated and user.locale in LANGUAGES:
        return user.locale
    desk = current_app.config["BABEL_DEFAULT_LOCALE"]
    return request.accept_languages.best_match(LANGUAGES) or desk


def in_desk_language(text: str | LazyString) -> str:
    """A message (lazy or plain text) rendered in the desk's language: for text the desk
    stores for every reader (coverage reasons, plugin history entries), which must not depend
    on the language of whoever's request wrote it."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return str(text)


def translation_directories(app: Flask) -> list[str]:
    """Every loaded plugin's ``translations`` folder by plugin name, then core's (which wins)."""
    folders = []
    for info in registry(app).all_plugins():
        path = info.path
        if path is not None and (path / "translations").is_dir():
            folders.append(str(path / "translations"))
    return [*folders, str(CORE_TRANSLATIONS)]


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories(app))
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
