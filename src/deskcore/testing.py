"""pytest fixtures for Deskcore and its plugins (loaded automatically through ``pytest11``).

Every test gets an app on a fresh database: SQLite by default, PostgreSQL when
``DESKCORE_TEST_DATABASE_URL`` is set. The schema is built once per session (tables of core
and of every installed plugin, Alembic stamped at head, default classifications seeded);
each test then starts from a copy (SQLite) or from emptied tables (PostgreSQL).

Fixtures: ``app``, ``client``, ``agent``, ``supervisor``, ``admin``, ``login``,
``make_customer``, ``make_ticket``, ``make_user``, ``enable_plugin``, ``disable_plugin``;
and ``translation_problems`` for a plugin's catalog test.
Mark a test ``@pytest.mark.plugins("warranty", ...)`` to run it with those plugins enabled.
Override the session fixture ``deskcore_plugin_modules`` to load plugins by module path.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import create_engine, make_url, text

from .config import LANGUAGES, driver_url

TEST_DATABASE_ENV = "DESKCORE_TEST_DATABASE_URL"


def pytest_configure(config):
    config.addinivalue_line("markers", "plugins(*names): enable these plugins for the test")


# -- database ------------------------------------------------------------------------------


def _worker_id(request) -> str:
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "main"


def _admin_engine(url):
    return create_engine(url, isolation_level="AUTOCOMMIT")


def _create_session_database(url: str, worker: str) -> str:
    """A database of its own for this test session, next to the one given.

    Concurrent runs (xdist workers, two developers' suites, CI beside a local run) never
    empty each other's tables.
    """
    url = make_url(driver_url(url))
    name = f"{url.database}_{worker}_{os.getpid()}"
    admin = _admin_engine(url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_session_database(url: str) -> None:
    url = make_url(url)
    admin = _admin_engine(url.set(database="postgres"))
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def deskcore_plugin_modules() -> list[str]:
    """Plugins loaded by module path in addition to installed ones (override in conftest)."""
    return []


@pytest.fixture(scope="session")
def deskcore_database(request, tmp_path_factory, deskcore_plugin_modules):
    """Build the schema once: ``(url, template_file_or_None, table_names)``.

    On PostgreSQL the session works in a database of its own, dropped at the end.
    """
    from .app import create_app
    from .extensions import db
    from .services.setup import seed_defaults

    postgres = os.environ.get(TEST_DATABASE_ENV)
    if postgres:
        url = _create_session_database(postgres, _worker_id(request))
        template = None
    else:
        template = tmp_path_factory.mktemp("deskcore-template") / "deskcore.sqlite"
        url = f"sqlite:///{template}"
    app = create_app(
        _base_config(url, tmp_path_factory.mktemp("instance"), deskcore_plugin_modules)
    )
    with app.app_context():
        db.create_all()
        _stamp_all(app)
        seed_defaults("en")
        tables = [t.name for t in db.metadata.sorted_tables]
        db.session.remove()
        db.engine.dispose()
    yield url, template, tables
    if postgres:
        _drop_session_database(url)


def _stamp_all(app) -> None:
    """Mark core and every plugin environment as migrated: create_all built their tables."""
    from alembic import command

    from .migrate import alembic_config
    from .plugins import registry

    for plugin in [None, *registry(app).plugins]:
        config = alembic_config(app, plugin)
        if config is not None:
            command.stamp(config, "heads")


def _base_config(url: str, instance: Path, plugin_modules: list[str]) -> dict:
    modules = [m for m in os.environ.get("DESKCORE_PLUGIN_MODULES", "").split(",") if m]
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "DESKCORE_INSTANCE_PATH": str(instance),
        "DESKCORE_PLUGIN_MODULES": [*modules, *plugin_modules],
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "desk.test",
    }


@pytest.fixture
def empty_database(tmp_path):
    """The URL of an empty database, for migration tests: a throwaway database on the test
    PostgreSQL server when one is configured, else a new SQLite file."""
    server = os.environ.get(TEST_DATABASE_ENV)
    if not server:
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    url = make_url(driver_url(server))
    name = f"{url.database}_empty_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_app(empty_database, tmp_path):
    """An app on ``empty_database`` with nothing migrated yet, for a test that upgrades it
    itself; its connections are closed afterwards."""
    from .app import create_app
    from .extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": empty_database,
            "DESKCORE_INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def deskcore_config() -> dict:
    """Extra app configuration for one test (override or parametrize it)."""
    return {}


@pytest.fixture
def database_url(deskcore_database, tmp_path) -> str:
    """A fresh database for this test, with the schema and default classifications."""
    url, template, tables = deskcore_database
    if template is not None:
        target = tmp_path / "deskcore.sqlite"
        shutil.copyfile(template, target)
        return f"sqlite:///{target}"
    engine = create_engine(url)
    with engine.begin() as conn:
        quoted = ", ".join(f'"{t}"' for t in tables)
        conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def app(request, database_url, tmp_path, deskcore_plugin_modules, deskcore_config):
    """A Deskcore app on a fresh database, inside an app context."""
    from .app import create_app
    from .extensions import db
    from .services.plugin_admin import enable_plugin
    from .services.setup import seed_defaults

    config = _base_config(database_url, tmp_path / "instance", deskcore_plugin_modules)
    config.update(deskcore_config)
    app = create_app(config)
    with app.app_context():
        if not database_url.startswith("sqlite"):
            seed_defaults("en")
        marker = request.node.get_closest_marker("plugins")
        for name in marker.args if marker else ():
            enable_plugin(name)
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


# -- people --------------------------------------------------------------------------------

_counter = itertools.count(1)


@pytest.fixture
def make_user(app):
    """``make_user(role="agent", **fields)`` creates an active user (password "password123")."""
    from .services.users import create_user

    def make(role: str = "agent", **fields):
        n = next(_counter)
        data = {
            "name": f"{role.title()} {n}",
            "email": f"{role}{n}@desk.test",
            "password": "password123",
            "role": role,
            **fields,
        }
        return create_user(data)

    return make


@pytest.fixture
def agent(make_user):
    return make_user("agent", name="Ana Agent")


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor", name="Sergio Supervisor")


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Adela Admin")


@pytest.fixture
def login(client):
    """``login(user)`` makes ``client`` act as that user."""

    def as_user(user):
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return client

    return as_user


# -- factories -----------------------------------------------------------------------------


@pytest.fixture
def make_customer(app):
    """``make_customer(**fields)`` creates a customer with one phone number."""
    from .services.customers import create_customer

    def make(**fields):
        n = next(_counter)
        data = {
            "name": f"Cliente {n}",
            "phones": [{"number": f"+56 9 {5000_0000 + n}"}],
            "national_id": f"{10_000_000 + n}-{n % 10}",
            **fields,
        }
        return create_customer(data)

    return make


@pytest.fixture
def make_ticket(app, agent, make_customer):
    """``make_ticket(agent=None, **fields)`` opens a ticket through the real service."""
    from .services.tickets import open_ticket

    def make(agent=agent, **fields):
        if "customer_id" not in fields:
            fields["customer_id"] = make_customer().id
        fields.setdefault("subject", "No enciende")
        return open_ticket(fields, agent)

    return make


# -- plugins -------------------------------------------------------------------------------


@pytest.fixture
def enable_plugin(app):
    from .services.plugin_admin import enable_plugin as enable

    return enable


@pytest.fixture
def disable_plugin(app):
    from .services.plugin_admin import disable_plugin as disable

    return disable


# -- translations -----------------------------------------------------------------------------

#: Text between tags that needs no translation: punctuation, symbols, the product name.
_NEUTRAL = re.compile(r"[\s·—\u00d7:*().,#%…→|]+")


def translation_problems(translations: Path, templates: Path | None = None) -> list[str]:
    """Everything wrong with a catalog folder (core's or a plugin's), one line per problem.

    Checks that each committed ``.mo`` equals its compiled ``.po``, that every message has a
    Spanish translation, that the catalogs hold every message of ``messages.pot``, that a
    plugin translates the words core also uses the same way (plugin catalogs are merged under
    core's), and that visible text in ``templates`` goes through ``_()``. A test asserts the
    list is empty: ``assert translation_problems(PACKAGE / "translations", ...) == []``.
    """
    from babel.messages.mofile import write_mo

    from .i18n import CORE_TRANSLATIONS

    problems = []
    catalogs = {language: _catalog(translations, language) for language in LANGUAGES}
    for language, catalog in catalogs.items():
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        committed = translations / language / "LC_MESSAGES" / "messages.mo"
        if compiled.getvalue() != committed.read_bytes():
            problems.append(f"{committed} is stale: run pybabel compile")
    for message in catalogs["es"]:
        if message.id and (message.fuzzy or not message.string or not all(message.string)):
            problems.append(f"no Spanish translation: {message.id!r}")
    with open(translations / "messages.pot", "rb") as pot:
        wanted = {(m.context, m.id) for m in read_po(pot) if m.id}
    for language, catalog in catalogs.items():
        missing = wanted - {(m.context, m.id) for m in catalog}
        problems += [f"{language} catalog lacks {m[1]!r}: run pybabel update" for m in missing]
    if translations.resolve() != CORE_TRANSLATIONS.resolve():
        core = {m.id: m.string for m in _catalog(CORE_TRANSLATIONS, "es") if not m.context}
        for message in catalogs["es"]:
            theirs = core.get(message.id) if message.id and not message.context else None
            if theirs and theirs != message.string:
                problems.append(f"{message.id!r}: {message.string!r} here, {theirs!r} in core")
    for path in sorted(templates.rglob("*.html")) if templates else ():
        text = re.sub(r"{[{%#].*?[}%#]}", "", path.read_text(), flags=re.S)
        for chunk in re.findall(r">([^<>]+)<", text):
            words = _NEUTRAL.sub("", chunk)
            if re.search(r"[A-Za-z]{3}", words) and words != "Deskcore":
                problems.append(f"{path.name}: untranslated text {chunk.strip()!r}")
    return problems


def _catalog(folder: Path, language: str):
    with open(folder / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)
