"""``deskcore init``: instance folder, database, default classifications and the first admin."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, make_url, select

from .. import config, migrate
from ..errors import NotFound
from ..extensions import db
from ..models import Role, User
from ..services import users
from ..services.setup import LANGUAGES, seed_defaults


def prepare_database(app: Flask, language: str) -> list[str]:
    """Create or upgrade the database and seed classifications; says what it did, per line."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    lines = [f"Instance folder: {instance}"]
    if os.environ.get("DESKCORE_SECRET_KEY"):
        lines.append("Secret key: from DESKCORE_SECRET_KEY")
    else:
        config.secret_key(instance, create=True)
        lines.append(f"Secret key: kept in {instance / config.SECRET_KEY_FILE}")
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    existed = inspect(db.engine).has_table(migrate.version_table(None))
    upgraded = ", ".join(migrate.upgrade_all(app))
    state = "exists" if existed else "created"
    lines.append(f"Database: {url} ({state}; migrations up to date: {upgraded})")
    if seed_defaults(language):
        lines.append(f"Classifications: default set created ({language})")
    else:
        lines.append("Classifications: exist, left unchanged")
    return lines


def existing_admin(email: str | None) -> User | None:
    """The user with ``email`` if given, else any active admin: init never adds a second one."""
    if email:
        try:
            return users.get_user_by_email(email)
        except NotFound:
            return None
    return db.session.scalar(
        select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
    )


@click.command("init")
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    help="Language of the default statuses, types and priorities "
    "[default: the desk's, DESKCORE_LANGUAGE, else en].",
)
@click.option("--admin-email", help="Email of the first admin (prompted when missing).")
@click.option("--admin-name", help="Name of the first admin.")
@click.option("--admin-password", help="Password of the first admin (prompted when missing).")
@with_appcontext
def init_command(
    language: str | None,
    admin_email: str | None,
    admin_name: str | None,
    admin_password: str | None,
) -> None:
    """Set up a new desk; running it again only reports what exists."""
    config = current_app.config
    for line in prepare_database(current_app, language or config["BABEL_DEFAULT_LOCALE"]):
        click.echo(line)
    click.echo(
        f"Desk: language {config['BABEL_DEFAULT_LOCALE']}, time zone "
        f"{config['BABEL_DEFAULT_TIMEZONE']} (DESKCORE_LANGUAGE, DESKCORE_TIME_ZONE)"
    )
    admin = existing_admin(admin_email)
    if admin is not None:
        role = "" if admin.role == Role.ADMIN else f" as {admin.role}"
        click.echo(f"Admin: {admin.email} exists{role}, left unchanged")
        return
    if admin_email is None:
        admin_email = click.prompt("Admin email")
        admin_name = admin_name or click.prompt("Admin name", default="Admin")
    password = admin_password or click.prompt(
        "Admin password", hide_input=True, confirmation_prompt=True
    )
    user = users.create_user(
        {"email": admin_email, "name": admin_name or "Admin", "password": password, "role": "admin"}
    )
    click.echo(f"Admin: {user.email} created")
