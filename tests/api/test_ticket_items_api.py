"""Comments, time entries and commitments over the API."""

from __future__ import annotations

from sqlalchemy import select

from deskcore.extensions import db
from deskcore.models import CommitmentType


def test_comments_are_added_and_listed(api, agent, make_ticket):
    ticket = make_ticket()
    added = api.post(
        f"/tickets/{ticket.number}/comments",
        json={"body": "Cliente avisado", "visibility": "public"},
    )
    assert added.status_code == 201
    assert added.json["author"] == {"id": agent.id, "name": agent.name}
    listed = api.get(f"/tickets/{ticket.number}/comments").json["items"]
    assert [(c["body"], c["visibility"]) for c in listed] == [("Cliente avisado", "public")]
    bad = api.post(f"/tickets/{ticket.number}/comments", json={"body": "", "visibility": "x"})
    assert bad.status_code == 400 and set(bad.json["errors"]) == {"body", "visibility"}


def test_time_entries_are_logged_and_listed(api, make_ticket):
    ticket = make_ticket()
    logged = api.post(
        f"/tickets/{ticket.number}/time-entries",
        json={"minutes": 30, "spent_on": "2026-01-05", "note": "diagnóstico"},
    )
    assert logged.status_code == 201 and logged.json["spent_on"] == "2026-01-05"
    assert [
        e["minutes"] for e in api.get(f"/tickets/{ticket.number}/time-entries").json["items"]
    ] == [30]
    too_long = api.post(f"/tickets/{ticket.number}/time-entries", json={"minutes": 5000})
    assert too_long.status_code == 400 and "minutes" in too_long.json["errors"]


def test_commitments_are_promised_rescheduled_and_completed(api, agent, make_ticket):
    ticket = make_ticket()
    call_back = db.session.scalar(select(CommitmentType.id).order_by(CommitmentType.position))
    promised = api.post(
        f"/tickets/{ticket.number}/commitments",
        json={"type_id": call_back, "responsible_id": agent.id, "due_at": "2026-03-01T10:00:00Z"},
    )
    assert promised.status_code == 201, promised.json
    commitment = promised.json
    assert (commitment["ticket_number"], commitment["done"]) == (ticket.number, False)
    moved = api.post(
        f"/commitments/{commitment['id']}/reschedule",
        json={"due_at": "2026-03-02T10:00:00-03:00", "reason": "cliente de viaje"},
    )
    assert moved.status_code == 200 and moved.json["due_at"] == "2026-03-02T13:00:00+00:00"
    done = api.post(f"/commitments/{commitment['id']}/complete")
    assert done.status_code == 200 and done.json["done"] is True and done.json["done_at"]
    again = api.post(f"/commitments/{commitment['id']}/complete")
    assert again.status_code == 409
    late = api.post(f"/commitments/{commitment['id']}/reschedule", json={"due_at": "2026-04-01"})
    assert late.status_code in (400, 409)
    listed = api.get(f"/tickets/{ticket.number}/commitments").json["items"]
    assert [c["id"] for c in listed] == [commitment["id"]]


def test_unknown_commitments_are_404(api):
    assert api.post("/commitments/5/complete").status_code == 404
    response = api.post("/commitments/5/reschedule", json={"due_at": "2026-03-01T10:00:00Z"})
    assert response.status_code == 404
