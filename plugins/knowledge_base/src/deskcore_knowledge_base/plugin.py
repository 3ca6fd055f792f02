"""Knowledge base: Whoosh-indexed articles, suggestions on the new-ticket form, articles sent
to customers. The hooks below only wire the plugin into the desk."""

from __future__ import annotations

from deskcore import hookimpl
from deskcore.services.numbering import ensure_sequence

from . import cli as commands
from . import models  # noqa: F401 - the tables belong to the app's metadata
from .articles import SEQUENCE
from .schemas import KnowledgeBaseSettings

title = "Knowledge base"
#: Plugins that must be enabled before this one.
requires: list[str] = []


@hookimpl
def settings_schema():
    return KnowledgeBaseSettings


@hookimpl
def plugin_enabled(app):
    ensure_sequence(SEQUENCE)


@hookimpl
def register_commands(cli):
    cli.add_command(commands.kb)
