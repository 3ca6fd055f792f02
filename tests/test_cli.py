"""The ``deskcore`` command line: every command, and one readable error line on bad input."""

import ast
import importlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from flask import Flask
from flask_babel import format_datetime, get_locale
from sqlalchemy import func, select

from deskcore import create_app, demo
from deskcore.cli import main
from deskcore.cli.serve import DEMO_TICKETS, prepare_demo
from deskcore.extensions import db
from deskcore.migrate import CORE_MIGRATIONS
from deskcore.models import PluginState, Status, Ticket, User
from deskcore.plugins import registry

SETTINGS_PLUGIN = """
from decimal import Decimal

import click
from marshmallow import Schema, fields

from deskcore import hookimpl


class Settings(Schema):
    share = fields.Decimal(load_default=Decimal("0.50"), as_string=True)
    greeting = fields.String(load_default="Hola")


@hookimpl
def settings_schema():
    return Settings


@hookimpl
def register_commands(cli):
    @cli.command("hello")
    def hello():
        click.echo("hola desde el plugin")
"""


@pytest.fixture(autouse=True)
def _restore_flask_run_flag(monkeypatch):
    """FlaskGroup sets FLASK_RUN_FROM_CLI for its process; keep it out of other tests."""
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "false")


@pytest.fixture
def run(app):
    """``run(*args, input=None)`` invokes ``deskcore`` on the test app."""
    runner = app.test_cli_runner()

    def invoke(*args, **kwargs):
        return runner.invoke(main, list(args), **kwargs)

    return invoke


def one_error_line(result) -> str:
    """The error a failed command printed: exactly one line on stderr, no traceback."""
    assert result.exit_code != 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    return lines[0]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# -- init --------------------------------------------------------------------------------------


@pytest.fixture
def fresh_instance(tmp_path, monkeypatch):
    """An empty instance folder with a SQLite database nobody created yet."""
    instance = tmp_path / "fresh"
    monkeypatch.setenv("DESKCORE_INSTANCE_PATH", str(instance))
    for name in ("DESKCORE_DATABASE_URL", "DESKCORE_SECRET_KEY", "DESKCORE_PLUGIN_MODULES"):
        monkeypatch.delenv(name, raising=False)
    return instance


def run_fresh(*args, **kwargs):
    """Run ``deskcore`` the way a shell does: the app comes from the environment."""
    return CliRunner().invoke(main, list(args), **kwargs)


def test_init_creates_database_classifications_secret_and_admin(fresh_instance):
    result = run_fresh(
        "init",
        "--language",
        "es",
        "--admin-email",
        "jefa@desk.test",
        "--admin-password",
        "secreto123",
        "--admin-name",
        "Jefa",
    )
    assert result.exit_code == 0, result.output
    assert "Admin: jefa@desk.test created" in result.output
    assert (fresh_instance / "deskcore.sqlite").exists()
    assert (fresh_instance / "secret_key").read_text().strip()
    app = create_app()
    with app.app_context():
        assert {s.name for s in db.session.scalars(select(Status))} >= {"Pendiente", "Cerrado"}
        admin = db.session.scalar(select(User))
        assert (admin.name, admin.role) == ("Jefa", "admin")
        assert admin.check_password("secreto123")
        db.engine.dispose()


def test_init_twice_reports_what_exists_and_duplicates_nothing(fresh_instance):
    args = ("init", "--admin-email", "jefa@desk.test", "--admin-password", "secreto123")
    assert run_fresh(*args).exit_code == 0
    key = (fresh_instance / "secret_key").read_text()
    again = run_fresh(*args)
    assert again.exit_code == 0, again.output
    assert "Classifications: exist, left unchanged" in again.output
    assert "Admin: jefa@desk.test exists, left unchanged" in again.output
    assert "(exists;" in again.output
    assert (fresh_instance / "secret_key").read_text() == key
    app = create_app()
    with app.app_context():
        assert (count(User), count(Status)) == (1, 4)
        db.engine.dispose()


def test_the_desk_language_and_time_zone_come_from_the_environment(fresh_instance, monkeypatch):
    monkeypatch.setenv("DESKCORE_LANGUAGE", "es")
    monkeypatch.setenv("DESKCORE_TIME_ZONE", "America/Santiago")
    result = run_fresh("init", "--admin-email", "jefa@desk.test", "--admin-password", "x" * 9)
    assert result.exit_code == 0, result.output
    assert "Desk: language es, time zone America/Santiago" in result.output
    app = create_app()
    with app.app_context():
        # init seeds the classifications in the desk's language when --language is not given
        assert {s.name for s in db.session.scalars(select(Status))} >= {"Pendiente", "Cerrado"}
        db.engine.dispose()
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert str(get_locale()) == "es"  # a browser asking for neither gets the desk's
        assert format_datetime(datetime(2026, 1, 1, 3, 0, tzinfo=UTC), "HH:mm") == "00:00"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DESKCORE_LANGUAGE", "fr", "DESKCORE_LANGUAGE must be one of es, en, not 'fr'"),
        ("DESKCORE_TIME_ZONE", "Mars/Olympus", "DESKCORE_TIME_ZONE 'Mars/Olympus' is not a"),
    ],
)
def test_a_bad_desk_setting_stops_the_cli_in_one_line(fresh_instance, monkeypatch, name, value,
                                                      message):  # fmt: skip
    monkeypatch.setenv(name, value)
    result = run_fresh("users", "list")
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def test_init_never_changes_an_existing_user(fresh_instance):
    assert (
        run_fresh("init", "--admin-email", "a@desk.test", "--admin-password", "x" * 9).exit_code
        == 0
    )
    created = run_fresh(
        "users", "create", "--email", "b@desk.test", "--name", "B", "--password", "y" * 9
    )
    assert created.exit_code == 0
    again = run_fresh("init", "--admin-email", "b@desk.test", "--admin-password", "z" * 9)
    assert "Admin: b@desk.test exists as agent, left unchanged" in again.output


def test_init_asks_for_the_admin_and_hides_the_password(fresh_instance):
    result = run_fresh("init", input="jefa@desk.test\nJefa\nsecreto123\nsecreto123\n")
    assert result.exit_code == 0, result.output
    assert "Admin: jefa@desk.test created" in result.output
    assert "secreto123" not in result.output


def test_init_with_a_short_password_fails_in_one_line(fresh_instance):
    result = run_fresh("init", "--admin-email", "jefa@desk.test", "--admin-password", "corta")
    assert "password" in one_error_line(result)


def test_commands_before_init_say_how_to_set_up(fresh_instance):
    line = one_error_line(run_fresh("users", "list"))
    assert "database error" in line and "deskcore init" in line


# -- serve -------------------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch):
    """Calls of Flask.run, which never starts a server in tests."""
    calls = []
    monkeypatch.setattr(Flask, "run", lambda app, **kwargs: calls.append(kwargs))
    return calls


def test_serve_runs_the_threaded_server_on_the_given_address(run, served):
    result = run("serve", "--host", "0.0.0.0", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert served == [{"host": "0.0.0.0", "port": 8123, "threaded": True, "use_reloader": False}]
    assert "http://0.0.0.0:8123/" in result.output


def test_serve_defaults_to_localhost_5000(run, served):
    assert run("serve").exit_code == 0
    assert (served[0]["host"], served[0]["port"]) == ("127.0.0.1", 5000)


def test_serve_demo_sets_up_an_empty_desk_then_just_serves(fresh_instance, served):
    result = run_fresh("serve", "--demo", "--port", "8124")
    assert result.exit_code == 0, result.output
    assert served[0]["port"] == 8124
    for login in demo.DEMO_LOGINS:
        assert f"{login.email} / {login.password}" in result.output
    app = create_app()
    with app.app_context():
        tickets = count(Ticket)
        assert tickets == DEMO_TICKETS
        installed = [n for n in demo.FIRST_PARTY_PLUGINS if n in registry().plugins]
        assert set(registry().enabled_names()) == set(installed)
        assert db.session.get(Status, 1).name == "Pendiente"
        db.engine.dispose()
    again = run_fresh("serve", "--demo")
    assert again.exit_code == 0
    assert "Demo data" not in again.output and "agent@demo.deskcore" in again.output
    app = create_app()
    with app.app_context():
        assert count(Ticket) == tickets
        db.engine.dispose()


def test_serve_demo_on_a_desk_with_data_adds_nothing(app, agent):
    lines = prepare_demo(app)
    assert lines == []
    assert count(Ticket) == 0 and count(User) == 1


# -- demo --------------------------------------------------------------------------------------


def test_demo_command_fills_the_desk(run):
    result = run("demo", "--customers", "10", "--tickets", "30", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert "Added 10 customers and 30 tickets (#1-#30)" in result.output
    assert count(Ticket) == 30


def test_demo_command_refuses_negative_counts(run):
    assert "--tickets" in one_error_line(run("demo", "--tickets", "-5"))


# -- users -------------------------------------------------------------------------------------


def test_users_create_list_set_role_deactivate_and_reset_password(run):
    created = run(
        "users", "create", "--email", "Ana@Desk.test", "--name", "Ana", "--password", "clave-123"
    )
    assert created.exit_code == 0, created.output
    assert run("users", "set-role", "ana@desk.test", "supervisor").exit_code == 0
    assert run("users", "deactivate", "ana@desk.test").exit_code == 0
    assert run("users", "activate", "ana@desk.test").exit_code == 0
    assert run("users", "deactivate", "ana@desk.test").exit_code == 0
    reset = run("users", "reset-password", "ana@desk.test", "--password", "nueva-clave")
    assert reset.exit_code == 0
    listed = run("users", "list")
    assert listed.output.splitlines()[0].split() == ["EMAIL", "NAME", "ROLE", "ACTIVE"]
    assert listed.output.splitlines()[1].split() == ["ana@desk.test", "Ana", "supervisor", "no"]
    user = db.session.scalar(select(User).filter_by(email="ana@desk.test"))
    db.session.refresh(user)
    assert user.check_password("nueva-clave")


def test_users_create_prompts_for_a_hidden_password(run):
    result = run(
        "users",
        "create",
        "--email",
        "b@desk.test",
        "--name",
        "Beto",
        "--role",
        "admin",
        input="clave-123\nclave-123\n",
    )
    assert result.exit_code == 0, result.output
    assert "clave-123" not in result.output
    assert db.session.scalar(select(User.role).filter_by(email="b@desk.test")) == "admin"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("users", "set-role", "nadie@desk.test", "agent"), "no user with email nadie@desk.test"),
        (("users", "set-role", "x@desk.test", "wizard"), "'wizard' is not one of"),
        (("users", "deactivate", "nadie@desk.test"), "no user with email"),
        (("users", "create", "--email", "x@desk.test", "--name", "X", "--password", "1"), "8"),
        (("users", "create", "--name", "X"), "Missing option '--email'"),
        (("users", "reset-password", "nadie@desk.test", "--password", "x" * 9), "no user"),
    ],
)
def test_users_bad_input_is_one_readable_line(run, args, message):
    assert message in one_error_line(run(*args))


def test_the_last_admin_keeps_the_role(run, admin):
    line = one_error_line(run("users", "set-role", admin.email, "agent"))
    assert "last active admin" in line


def test_duplicate_user_is_refused(run, agent):
    result = run("users", "create", "--email", agent.email, "--name", "X", "--password", "x" * 9)
    assert "already exists" in one_error_line(result)


# -- plugins -----------------------------------------------------------------------------------


def test_plugins_list_shows_each_installed_plugin(run):
    result = run("plugins", "list")
    assert result.exit_code == 0, result.output
    header, *rows = result.output.splitlines()
    assert header.split() == ["NAME", "DISTRIBUTION", "VERSION", "ENABLED", "HOOKS", "ERROR"]
    dummy = next(row for row in rows if row.startswith("dummy "))
    assert " no " in dummy and "ticket_opened" in dummy


def test_plugins_list_json(run, enable_plugin):
    enable_plugin("dummy")
    plugins = {p["name"]: p for p in json.loads(run("plugins", "list", "--json").output)}
    dummy = plugins["dummy"]
    assert dummy["enabled"] is True
    assert "ticket_opened" in dummy["hooks"]
    assert dummy["error"] is None
    assert set(dummy) >= {"name", "distribution", "version", "enabled", "hooks", "error"}


def test_plugins_info(run):
    result = run("plugins", "info", "dummy")
    assert result.exit_code == 0, result.output
    assert "name: dummy" in result.output and "enabled: no" in result.output


def test_plugins_enable_and_disable_keep_one_set_of_rules(run):
    assert "Enabled dummy" in run("plugins", "enable", "dummy").output
    assert registry().is_enabled("dummy")
    assert "already enabled" in run("plugins", "enable", "dummy").output
    result = run("plugins", "disable", "dummy")
    assert "Disabled dummy; their data is kept" in result.output
    registry().forget_enabled()
    assert not registry().is_enabled("dummy")
    assert db.session.get(PluginState, "dummy").enabled is False


@pytest.mark.parametrize("command", ["info", "enable", "disable", "config"])
def test_unknown_plugin_lists_the_installed_ones(run, command):
    line = one_error_line(run("plugins", command, "nope"))
    assert "unknown plugin 'nope'; installed:" in line and "dummy" in line


@pytest.fixture
def settings_app(app, tmp_path, monkeypatch):
    """The test app plus a plugin with settings and a command, loaded by module path."""
    (tmp_path / "deskcore_clisettings.py").write_text(SETTINGS_PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path))
    modules = [*app.config["DESKCORE_PLUGIN_MODULES"], "deskcore_clisettings"]
    other = create_app({**app.config, "DESKCORE_PLUGIN_MODULES": modules})
    with other.app_context():
        yield other
        db.session.remove()
        db.engine.dispose()


def run_on(app, *args):
    return app.test_cli_runner().invoke(main, list(args))


def test_plugins_config_shows_defaults_and_stores_validated_strings(settings_app):
    shown = run_on(settings_app, "plugins", "config", "clisettings")
    assert shown.output.splitlines() == ["greeting = Hola", "share = 0.50"]
    changed = run_on(settings_app, "plugins", "config", "clisettings", "share=0.75", "greeting=a=b")
    assert changed.exit_code == 0, changed.output
    assert changed.output.splitlines() == ["greeting = a=b", "share = 0.75"]
    assert db.session.get(PluginState, "clisettings").settings["share"] == "0.75"


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["share=lots"], "share: Not a valid number."),
        (["colour=red"], "colour: unknown setting; known: greeting, share"),
        (["share"], "expected KEY=VALUE, got 'share'"),
    ],
)
def test_plugins_config_bad_values_are_one_line(settings_app, pairs, message):
    result = run_on(settings_app, "plugins", "config", "clisettings", *pairs)
    assert message in one_error_line(result)


def test_plugin_commands_appear_and_run_only_while_enabled(settings_app):
    assert "hello" in run_on(settings_app, "--help").output
    assert "is disabled" in one_error_line(run_on(settings_app, "hello"))
    run_on(settings_app, "plugins", "enable", "clisettings")
    assert run_on(settings_app, "hello").output == "hola desde el plugin\n"


# -- db ----------------------------------------------------------------------------------------


@pytest.mark.plugins("dummy")
def test_db_upgrade_runs_core_then_enabled_plugins(run):
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Upgraded: core, dummy"


def test_db_revision_for_an_unknown_plugin_is_one_line(run):
    assert "unknown plugin 'nope'" in one_error_line(
        run("db", "revision", "--plugin", "nope", "-m", "x")
    )


def test_db_revision_needs_a_message(run):
    assert "Missing option '-m'" in one_error_line(run("db", "revision"))


# -- plugin new --------------------------------------------------------------------------------


@pytest.fixture
def skeleton(tmp_path, monkeypatch):
    """A plugin written by ``deskcore plugin new``, importable from its src folder."""
    directory = tmp_path / "erp"
    result = run_fresh("plugin", "new", "erp_export", "--directory", str(directory))
    assert result.exit_code == 0, result.output
    monkeypatch.syspath_prepend(str(directory / "src"))
    for name in [m for m in sys.modules if m.split(".")[0] == "deskcore_erp_export"]:
        monkeypatch.delitem(sys.modules, name)  # an earlier test's skeleton
    return directory


def test_plugin_new_writes_an_installable_skeleton(skeleton):
    pyproject = (skeleton / "pyproject.toml").read_text()
    assert 'name = "deskcore-erp-export"' in pyproject
    assert '[project.entry-points.deskcore]\nerp_export = "deskcore_erp_export.plugin"' in pyproject
    migrations = skeleton / "src/deskcore_erp_export/migrations"
    assert (migrations / "env.py").read_text() == (CORE_MIGRATIONS / "env.py").read_text()
    assert (migrations / "script.py.mako").exists() and (migrations / "versions").is_dir()
    plugin = importlib.import_module("deskcore_erp_export.plugin")
    assert hasattr(plugin.ticket_opened, "deskcore_impl")
    ast.parse((skeleton / "tests/test_plugin.py").read_text())


def test_plugin_new_refuses_bad_names_and_full_directories(skeleton):
    assert "lower case" in one_error_line(run_fresh("plugin", "new", "Bad-Name"))
    line = one_error_line(run_fresh("plugin", "new", "erp_export", "--directory", str(skeleton)))
    assert "is not empty" in line


@pytest.fixture
def skeleton_app(app, skeleton):
    """The test app with the new skeleton plugin loaded by module path."""
    modules = [*app.config["DESKCORE_PLUGIN_MODULES"], "deskcore_erp_export.plugin"]
    other = create_app({**app.config, "DESKCORE_PLUGIN_MODULES": modules})
    with other.app_context():
        yield other
        db.session.remove()
        db.engine.dispose()


def test_skeleton_plugin_loads_enables_and_gets_revisions(skeleton_app, skeleton):
    assert "ticket_opened" in registry().get("erp_export").hooks
    assert run_on(skeleton_app, "plugins", "enable", "erp_export").exit_code == 0
    result = run_on(skeleton_app, "db", "revision", "--plugin", "erp_export", "-m", "first tables")
    assert result.exit_code == 0, result.output
    written = list((skeleton / "src/deskcore_erp_export/migrations/versions").glob("*.py"))
    assert len(written) == 1 and "first_tables" in written[0].name


def test_plugin_without_settings_says_so(skeleton_app):
    assert (
        "erp_export has no settings"
        in run_on(skeleton_app, "plugins", "config", "erp_export").output
    )
    line = one_error_line(run_on(skeleton_app, "plugins", "config", "erp_export", "a=1"))
    assert "plugin 'erp_export' has no settings" in line


@pytest.mark.slow
def test_skeleton_tests_pass_with_the_testing_fixtures(skeleton):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKCORE_")}
    env["DESKCORE_PLUGIN_MODULES"] = "deskcore_erp_export.plugin"
    env["PYTHONPATH"] = str(skeleton / "src")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests"],
        cwd=skeleton,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
