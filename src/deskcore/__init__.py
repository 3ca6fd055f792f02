"""Deskcore: a plugin-based helpdesk and after-sales service framework."""

from .app import create_app
from .errors import Veto
from .hookspecs import hookimpl

__all__ = ["Veto", "create_app", "hookimpl"]
