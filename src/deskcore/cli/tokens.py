"""``deskcore tokens``: personal API tokens, through deskcore.services.tokens."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..models import User
from ..services import tokens
from ..services.users import get_user_by_email
from .output import echo_table

tokens_group = AppGroup("tokens", help="Create, list and revoke personal API tokens.")


@tokens_group.command("create")
@click.option("--user", "email", required=True, help="Email of the token's owner.")
@click.option("--name", default="", help="What the token is for, e.g. 'ERP'.")
def create_command(email: str, name: str) -> None:
    """Create a token; it is printed once, as the last line."""
    token, secret = tokens.create_token(get_user_by_email(email), name)
    click.echo(f"Created token {token.id} ({token.prefix}…) for {token.user.email}.")
    click.echo("Keep it secret; it cannot be shown again:")
    click.echo(secret)


@tokens_group.command("list")
@click.option("--user", "email", help="Only this user's tokens.")
def list_command(email: str | None) -> None:
    """Every token (or one user's), newest first; never the secrets."""
    user: User | None = get_user_by_email(email) if email else None
    rows = [
        (t.id, t.user.email, t.name, f"{t.prefix}…", t.created_at, t.last_used_at, t.revoked)
        for t in tokens.list_tokens(user)
    ]
    if not rows:
        click.echo("No tokens yet; create one with: deskcore tokens create --user EMAIL")
        return
    echo_table(("ID", "USER", "NAME", "PREFIX", "CREATED", "LAST USED", "REVOKED"), rows)


@tokens_group.command("revoke")
@click.argument("token_id", type=click.IntRange(min=1, max=2**31 - 1))
def revoke_command(token_id: int) -> None:
    """Revoke a token for good; requests with it are refused at once."""
    token = tokens.revoke_token(token_id)
    click.echo(f"Revoked token {token.id} ({token.prefix}…) of {token.user.email}")
