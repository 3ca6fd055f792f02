"""Dummy plugin: records every hook call in ``CALLS`` so tests can prove each one runs."""

from __future__ import annotations

from flask import Blueprint

from deskcore import hookimpl

from .models import DummyNote

title = "Dummy"
requires: list[str] = []

#: (hook name, keyword arguments) of every call, in order; tests clear it.
CALLS: list[tuple[str, dict]] = []
#: hook name → exception to raise from it, set by tests.
RAISE: dict[str, BaseException] = {}

bp = Blueprint("dummy", __name__)


@bp.get("/ping")
def ping():
    return {"plugin": "dummy", "notes": DummyNote.query.count()}


def _record(name: str, **kwargs):
    CALLS.append((name, kwargs))
    if name in RAISE:
        raise RAISE[name]


@hookimpl
def register_blueprints(app):
    _record("register_blueprints", app=app)
    return [bp]


@hookimpl
def ticket_opened(ticket, agent, extra):
    _record("ticket_opened", ticket=ticket, agent=agent, extra=extra)
