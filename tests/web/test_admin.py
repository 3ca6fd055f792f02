"""Admin pages and the classification rules behind them."""

from __future__ import annotations

import deskcore_dummy.plugin as dummy
import pytest
from sqlalchemy import select

from deskcore.errors import Conflict, ValidationError
from deskcore.extensions import db
from deskcore.models import Priority, Queue, Status, TicketType, User
from deskcore.plugins import plugin_settings, registry
from deskcore.services import classifications as rules
from deskcore.services.tickets import change_status


def status(code: str) -> Status:
    return db.session.scalar(select(Status).where(Status.code == code))


# -- rules -------------------------------------------------------------------------------


def test_the_last_open_or_closed_status_cannot_be_deactivated(app):
    with pytest.raises(Conflict, match="last active open status"):
        rules.set_active("statuses", status("pending").id, False)
    with pytest.raises(Conflict, match="last active closed status"):
        rules.set_active("statuses", status("closed").id, False)
    rules.set_active("statuses", status("on_hold").id, False)
    assert status("on_hold").active is False


def test_the_last_ticket_type_cannot_be_deactivated(app):
    types = rules.list_rows("types")
    for row in types[:-1]:
        rules.set_active("types", row.id, False)
    with pytest.raises(Conflict, match="last active ticket type"):
        rules.set_active("types", types[-1].id, False)


def test_names_are_unique_and_one_default_per_kind(app):
    with pytest.raises(ValidationError):
        rules.create_row("priorities", {"name": "high"})
    row = rules.create_row("priorities", {"name": "Crítica", "position": 9, "is_default": True})
    defaults = db.session.scalars(select(Priority).where(Priority.is_default.is_(True))).all()
    assert defaults == [row]


def test_a_new_status_with_transitions_is_used_by_tickets(app, make_ticket, agent):
    review = rules.create_row(
        "statuses",
        {"name": "In review", "code": "in_review", "category": "waiting",
         "next_status_ids": [status("pending").id]},
    )  # fmt: skip
    pending = status("pending")
    rules.update_row(
        "statuses",
        pending.id,
        {"name": pending.name, "code": "pending", "category": "open", "is_default": True,
         "next_status_ids": [s.id for s in pending.next_statuses] + [review.id]},
    )  # fmt: skip
    ticket = make_ticket()
    change_status(ticket.number, {"status_id": review.id}, agent)
    assert ticket.status.code == "in_review"


def test_a_status_cannot_lead_to_itself(app):
    pending = status("pending")
    with pytest.raises(ValidationError):
        rules.update_row(
            "statuses", pending.id,
            {"name": "Pending", "code": "pending", "category": "open",
             "next_status_ids": [pending.id]},
        )  # fmt: skip


# -- pages -------------------------------------------------------------------------------


def test_admin_creates_edits_and_deactivates_a_ticket_type(as_admin):
    assert (
        as_admin.post("/admin/types/", data={"name": "Garantía", "position": "7"}).status_code
        == 302
    )
    row = db.session.scalar(select(TicketType).where(TicketType.name == "Garantía"))
    response = as_admin.post(f"/admin/types/{row.id}", data={"name": "Garantías", "position": "3"})
    assert response.status_code == 302
    as_admin.post(f"/admin/types/{row.id}/active", data={"active": "0"})
    db.session.refresh(row)
    assert (row.name, row.position, row.active) == ("Garantías", 3, False)
    assert "Garantías" in as_admin.get("/admin/types/").text


def test_refusals_and_bad_input_are_messages(as_admin):
    response = as_admin.post(
        f"/admin/statuses/{status('pending').id}/active", data={"active": "0"},
        follow_redirects=True,
    )  # fmt: skip
    assert "last active open status" in response.text
    response = as_admin.post("/admin/statuses/", data={"name": "X", "code": "Bad Code!"})
    assert response.status_code == 400 and 'value="Bad Code!"' in response.text
    assert as_admin.get("/admin/nonsense/").status_code == 404


def test_queues_with_members(as_admin, agent):
    response = as_admin.post(
        "/admin/queues/", data={"name": "Terreno", "member_ids": [str(agent.id)]}
    )
    assert response.status_code == 302
    queue = db.session.scalar(select(Queue))
    assert [u.email for u in queue.members] == [agent.email]


def test_admin_manages_users(as_admin, agent):
    response = as_admin.post(
        "/admin/users/",
        data={"name": "Nuevo", "email": "nuevo@desk.test", "role": "supervisor",
              "password": "longenough"},
    )  # fmt: skip
    assert response.status_code == 302
    as_admin.post(f"/admin/users/{agent.id}/role", data={"role": "supervisor"})
    as_admin.post(f"/admin/users/{agent.id}/password", data={"password": "another-secret"})
    as_admin.post(f"/admin/users/{agent.id}/active", data={"active": "0"})
    db.session.refresh(agent)
    assert (agent.role, agent.active) == ("supervisor", False)
    assert agent.check_password("another-secret")
    created = db.session.scalar(select(User).where(User.email == "nuevo@desk.test"))
    assert created.role == "supervisor"
    short = as_admin.post(f"/admin/users/{agent.id}/password", data={"password": "x"},
                          follow_redirects=True)  # fmt: skip
    assert "alert-danger" in short.text


def test_the_last_admin_cannot_demote_themself(as_admin, admin):
    page = as_admin.post(
        f"/admin/users/{admin.id}/role", data={"role": "agent"}, follow_redirects=True
    )
    assert "last active admin" in page.text
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_plugins_enable_and_disable_after_confirmation(as_admin):
    listing = as_admin.get("/admin/plugins/").text
    assert "dummy" in listing and "disabled" in listing
    confirm = as_admin.get("/admin/plugins/dummy/enable")
    assert "Enable Dummy?" in confirm.text and not registry().is_enabled("dummy")
    assert as_admin.post("/admin/plugins/dummy/enable").status_code == 302
    assert registry().is_enabled("dummy")
    assert as_admin.post("/admin/plugins/dummy/disable").status_code == 302
    registry().forget_enabled()
    assert not registry().is_enabled("dummy")
    assert as_admin.get("/admin/plugins/nope/enable").status_code == 404


@pytest.mark.plugins("dummy")
def test_plugin_settings_form_is_generated_and_validated(as_admin):
    form = as_admin.get("/admin/plugins/dummy/settings").text
    for name in ("greeting", "max_notes", "fee"):
        assert f'name="{name}"' in form
    bad = as_admin.post(
        "/admin/plugins/dummy/settings", data={"greeting": "Hola", "max_notes": "500", "fee": "x"}
    )
    assert bad.status_code == 400 and 'value="Hola"' in bad.text
    good = as_admin.post(
        "/admin/plugins/dummy/settings", data={"greeting": "Hola", "max_notes": "5", "fee": "1.50"}
    )
    assert good.status_code == 302
    assert plugin_settings("dummy")["greeting"] == "Hola"
    assert plugin_settings("dummy")["max_notes"] == 5
    assert dummy.RAISE == {}
