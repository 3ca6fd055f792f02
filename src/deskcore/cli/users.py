"""``deskcore users``: the people who log in, through deskcore.services.users."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..extensions import db
from ..models import Role, User
from ..services import users
from .output import echo_table

ROLES = click.Choice([role.value for role in Role])


def _password_option(help_text: str):
    return click.option("--password", help=f"{help_text} (prompted, hidden, when missing).")


users_group = AppGroup("users", help="Create and manage agents, supervisors and admins.")


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=ROLES, default=Role.AGENT.value, show_default=True)
@_password_option("Password, at least 8 characters")
def create_command(email: str, name: str, role: str, password: str | None) -> None:
    """Create a user who can log in."""
    password = password or click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = users.create_user({"email": email, "name": name, "role": role, "password": password})
    click.echo(f"Created {user.role} {user.email}")


@users_group.command("list")
def list_command() -> None:
    """Every user with role and whether they may log in."""
    rows = db.session.execute(
        select(User.email, User.name, User.role, User.active).order_by(User.email)
    ).all()
    if not rows:
        click.echo("No users yet; create one with: deskcore users create")
        return
    echo_table(("EMAIL", "NAME", "ROLE", "ACTIVE"), rows)


@users_group.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLES)
def set_role_command(email: str, role: str) -> None:
    """Change a user's role (the last active admin keeps theirs)."""
    user = users.set_role(email, role)
    click.echo(f"{user.email} is now {user.role}")


@users_group.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Stop a user from logging in; their tickets and history stay."""
    user = users.deactivate_user(email)
    click.echo(f"Deactivated {user.email}")


@users_group.command("activate")
@click.argument("email")
def activate_command(email: str) -> None:
    """Let a deactivated user log in again."""
    user = users.activate_user(email)
    click.echo(f"Activated {user.email}")


@users_group.command("reset-password")
@click.argument("email")
@_password_option("New password")
def reset_password_command(email: str, password: str | None) -> None:
    """Set a new password for a user."""
    users.get_user_by_email(email)
    password = password or click.prompt("New password", hide_input=True, confirmation_prompt=True)
    user = users.reset_password(email, password)
    click.echo(f"Password of {user.email} changed")
