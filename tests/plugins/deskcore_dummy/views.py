"""The dummy plugin's pages (under /plugins/dummy/), JSON API (/api/v1/dummy/) and command."""

from __future__ import annotations

import click
from flask import Blueprint
from flask.cli import with_appcontext

from deskcore.plugins import plugin_settings
from deskcore.services import load_ticket
from deskcore.web import public

from .models import as_dict, notes

pages = Blueprint("dummy", __name__)
api = Blueprint("dummy_api", __name__)


@pages.get("/ping")
@public
def ping():
    return {"plugin": "dummy", "notes": len(notes())}


@pages.get("/tickets/<int:number>")
def ticket_notes(number: int):
    ticket = load_ticket(number)
    return "\n".join(note.text for note in notes(ticket_id=ticket.id)), {
        "Content-Type": "text/plain; charset=utf-8"
    }


@api.get("/notes")
def api_notes():
    limit = plugin_settings("dummy")["max_notes"]
    return {"notes": [as_dict(note) for note in notes(limit)]}


@click.command("dummy-hello")
@click.argument("name", default="world")
@with_appcontext
def hello(name: str) -> None:
    """Greet NAME with the configured greeting."""
    click.echo(f"{plugin_settings('dummy')['greeting']}, {name}!")
