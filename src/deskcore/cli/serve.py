"""``deskcore serve``: run the desk with werkzeug's threaded server, optionally as a demo."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, inspect, select

from .. import demo
from ..extensions import db
from ..models import Ticket, User
from .init import prepare_database

DEMO_CUSTOMERS = 200
DEMO_TICKETS = 1000


def database_is_empty() -> bool:
    """No tables yet, or neither users nor tickets."""
    if not inspect(db.engine).has_table(User.__tablename__):
        return True
    users = db.session.scalar(select(func.count(User.id)))
    tickets = db.session.scalar(select(func.count(Ticket.id)))
    return not users and not tickets


def prepare_demo(app: Flask, seed: int | None = None) -> list[str]:
    """Set up a complete demo desk on an empty database; returns lines to show the visitor."""
    lines: list[str] = []
    if database_is_empty():
        lines += prepare_database(app, "es")
        plugins = demo.enable_first_party_plugins()
        lines.append(f"Plugins enabled: {', '.join(plugins) or 'none installed'}")
        demo.ensure_demo_logins()
        result = demo.fill_demo(DEMO_CUSTOMERS, DEMO_TICKETS, seed=seed)
        lines.append(f"Demo data: {result.customers} customers, {result.tickets} tickets")
    logins = demo.existing_demo_logins()
    if logins:
        lines.append("Demo logins (email / password):")
        lines += [f"  {login.email} / {login.password}  ({login.role})" for login in logins]
    return lines


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option(
    "--demo",
    "with_demo",
    is_flag=True,
    help="On an empty database: Spanish demo data, every first-party plugin, logins.",
)
@with_appcontext
def serve_command(host: str, port: int, with_demo: bool) -> None:
    """Serve the desk (werkzeug, threaded); put gunicorn in front of it in production."""
    app = current_app._get_current_object()
    if with_demo:
        for line in prepare_demo(app):
            click.echo(line)
    # Requests get their own sessions; this command's must not hold a SQLite read snapshot.
    db.session.remove()
    click.echo(f"Deskcore running at http://{host}:{port}/ (Ctrl+C to stop)")
    # FlaskGroup sets this so that a stray app.run() does not block a command; here the
    # command's whole purpose is to run the server.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    app.run(host=host, port=port, threaded=True, use_reloader=False)
