"""Configuration from the environment: every key is prefixed DESKCORE_."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import DeskcoreError

SECRET_KEY_FILE = "secret_key"
#: The languages of the UI (core and first-party plugins ship both catalogs).
LANGUAGES = ("es", "en")


class ConfigurationError(DeskcoreError):
    """A setting in the environment makes no sense: the desk does not start."""


def instance_path() -> Path:
    """The instance folder: DESKCORE_INSTANCE_PATH or ./instance."""
    return Path(os.environ.get("DESKCORE_INSTANCE_PATH") or Path.cwd() / "instance").resolve()


def database_url(instance: Path) -> str:
    """DESKCORE_DATABASE_URL, or a SQLite file in the instance folder."""
    url = os.environ.get("DESKCORE_DATABASE_URL")
    if url:
        return driver_url(url)
    return f"sqlite:///{instance / 'deskcore.sqlite'}"


def driver_url(url: str) -> str:
    """Plain postgresql:// URLs mean psycopg 3, the driver we install."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def secret_key(instance: Path, create: bool = False) -> str | None:
    """DESKCORE_SECRET_KEY, else the key `deskcore init` kept in the instance folder."""
    key = os.environ.get("DESKCORE_SECRET_KEY")
    if key:
        return key
    path = instance / SECRET_KEY_FILE
    if path.exists():
        return path.read_text().strip()
    if not create:
        return None
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Written whole to a file of our own, then linked into place: the link fails if another
    # worker got there first, and nobody ever reads a key file that is still being written.
    draft = instance / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
        f.write(key)
    try:
        os.link(draft, path)
    except FileExistsError:
        return path.read_text().strip()
    finally:
        draft.unlink()
    return key


def from_environment() -> dict:
    """The settings create_app starts from before explicit overrides."""
    instance = instance_path()
    env = os.environ
    return {
        "DESKCORE_INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url(instance),
        "SECRET_KEY": secret_key(instance),
        "DESKCORE_PLUGIN_MODULES": [
            m.strip() for m in env.get("DESKCORE_PLUGIN_MODULES", "").split(",") if m.strip()
        ],
        "DESKCORE_LOAD_ENTRYPOINTS": env.get("DESKCORE_LOAD_ENTRYPOINTS", "1") != "0",
        "DESKCORE_STRICT_PLUGINS": env.get("DESKCORE_STRICT_PLUGINS", "0") == "1",
        "DESKCORE_TRACE_HOOKS": env.get("DESKCORE_TRACE_HOOKS", "0") == "1",
        "DESKCORE_SMTP_HOST": env.get("DESKCORE_SMTP_HOST", "localhost"),
        "DESKCORE_SMTP_PORT": int(env.get("DESKCORE_SMTP_PORT", "25")),
        "DESKCORE_SMTP_USER": env.get("DESKCORE_SMTP_USER", ""),
        "DESKCORE_SMTP_PASSWORD": env.get("DESKCORE_SMTP_PASSWORD", ""),
        "DESKCORE_SMTP_STARTTLS": env.get("DESKCORE_SMTP_STARTTLS", "0") == "1",
        "DESKCORE_SMTP_SSL": env.get("DESKCORE_SMTP_SSL", "0") == "1",
        "DESKCORE_SMTP_CA_FILE": env.get("DESKCORE_SMTP_CA_FILE") or None,
        "DESKCORE_MAIL_FROM": env.get("DESKCORE_MAIL_FROM", "desk@localhost"),
        "DESKCORE_IDEMPOTENCY_KEY_HOURS": float(env.get("DESKCORE_IDEMPOTENCY_KEY_HOURS", "24")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("DESKCORE_SECURE_COOKIES", "0") == "1",
        **desk_locale(env),
    }


def desk_locale(env) -> dict:
    """The desk's language and time zone (DESKCORE_LANGUAGE, DESKCORE_TIME_ZONE) as
    Flask-Babel's defaults; left out when unset, so English and UTC apply.

    The language is the UI's until an agent picks theirs (or for a browser asking for neither),
    and the one the desk stores generated text in (coverage reasons); the time zone is the one
    dates are shown in, typed dates are read in, and reports count days in.
    """
    found = {}
    language = env.get("DESKCORE_LANGUAGE", "").strip()
    if language:
        if language not in LANGUAGES:
            raise ConfigurationError(
                f"DESKCORE_LANGUAGE must be one of {', '.join(LANGUAGES)}, not {language!r}"
            )
        found["BABEL_DEFAULT_LOCALE"] = language
    zone = env.get("DESKCORE_TIME_ZONE", "").strip()
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigurationError(
                f"DESKCORE_TIME_ZONE {zone!r} is not a time zone name like America/Santiago"
            ) from None
        found["BABEL_DEFAULT_TIMEZONE"] = zone
    return found
