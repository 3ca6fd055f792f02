"""Disabling a plugin hides it but keeps every row of its data; enabling it again brings all
of it back — through the service and through the CLI alike."""

from __future__ import annotations

from collections.abc import Callable

import deskcore_dummy.plugin as dummy
import pytest
from deskcore_dummy.models import DummyNote
from flask import Flask
from sqlalchemy import select

from deskcore.cli import main
from deskcore.extensions import db
from deskcore.models import Ticket
from deskcore.plugins import registry
from deskcore.services.plugin_admin import disable_plugin, enable_plugin
from deskcore.services.unit_of_work import unit_of_work

Toggle = Callable[[Flask, str, str], None]


def through_service(app: Flask, action: str, name: str) -> None:
    {"enable": enable_plugin, "disable": disable_plugin}[action](name)


def through_cli(app: Flask, action: str, name: str) -> None:
    result = app.test_cli_runner().invoke(main, args=["plugins", action, name])
    assert result.exit_code == 0, result.output


@pytest.fixture(params=[through_service, through_cli], ids=["service", "cli"])
def toggle(request) -> Toggle:
    """``toggle(app, "enable" | "disable", name)`` the way an admin would."""
    return request.param


def notes() -> list[tuple]:
    """Every dummy note with the number of the ticket it refers to (None if none)."""
    query = (
        select(DummyNote.id, DummyNote.text, Ticket.number)
        .outerjoin(Ticket, DummyNote.ticket_id == Ticket.id)
        .order_by(DummyNote.id)
    )
    return [tuple(row) for row in db.session.execute(query)]


@pytest.mark.plugins("dummy")
def test_disable_then_enable_loses_no_row_of_the_plugins_data(app, client, make_ticket, toggle):
    first, second = make_ticket(), make_ticket()
    with unit_of_work():
        db.session.add_all(
            [
                DummyNote(ticket_id=first.id, text="on the first ticket"),
                DummyNote(ticket_id=second.id, text="on the second ticket"),
                DummyNote(ticket_id=None, text="on no ticket"),
            ]
        )
    before = notes()
    assert {(text, number) for _, text, number in before} >= {
        ("on the first ticket", first.number),
        ("on the second ticket", second.number),
        ("on no ticket", None),
    }

    toggle(app, "disable", "dummy")
    assert not registry().is_enabled("dummy")
    assert client.get("/plugins/dummy/ping").status_code == 404
    assert notes() == before

    toggle(app, "enable", "dummy")
    assert registry().is_enabled("dummy")
    assert notes() == before
    ping = client.get("/plugins/dummy/ping")
    assert (ping.status_code, ping.json) == (200, {"plugin": "dummy", "notes": len(before)})


@pytest.mark.plugins("dummy")
def test_work_done_while_a_plugin_is_disabled_leaves_its_data_alone(
    app, client, make_ticket, toggle
):
    ticket = make_ticket()
    with unit_of_work():
        db.session.add(DummyNote(ticket_id=ticket.id, text="kept"))
    before = notes()

    toggle(app, "disable", "dummy")
    dummy.CALLS.clear()
    later = make_ticket()
    assert [name for name, _ in dummy.CALLS] == []  # a disabled plugin hears nothing
    toggle(app, "enable", "dummy")

    assert notes() == before
    dummy.CALLS.clear()
    make_ticket()
    assert "ticket_opened" in [name for name, _ in dummy.CALLS]
    assert later.number == ticket.number + 1
