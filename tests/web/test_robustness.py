"""No page answers 500, whatever is typed into whatever form."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from deskcore.extensions import db
from deskcore.models import CommitmentType
from deskcore.services import add_commitment

from .test_access import _concrete

GARBAGE = [
    "<script>alert(1)</script>",
    "x" * 100_000,
    "2026-02-30",
    "2026-13-01T25:61",
    "-1",
    "999999999999999999999999",
    "",
    "   ",
    "0",
    "ñandú 🦜",
    "1; DROP TABLE tickets",
]
FIELDS = [
    "name", "email", "phones", "national_id", "kind", "city", "address", "notes", "q",
    "customer_id", "subject", "symptom", "type_id", "priority_id", "topic_id", "channel",
    "serial_number", "order_ref", "payment_ref", "dispatch_ref", "estimated_close_on",
    "consultant", "consultant_id", "queue_id", "assignee_id", "related", "extra_dummy_note", "body",
    "visibility", "status_id", "resolution", "minutes", "spent_on", "note", "due_at",
    "reason", "responsible_id", "diagnosis", "position", "code", "category",
    "next_status_ids", "member_ids", "is_default", "description", "role", "password",
    "locale", "current_password", "new_password", "confirm_password", "greeting",
    "max_notes", "fee", "force", "active", "then", "action",
]  # fmt: skip


@pytest.mark.plugins("dummy")
@pytest.mark.parametrize("value", GARBAGE, ids=range(len(GARBAGE)))
def test_no_form_answers_500(app, client_for, admin, make_ticket, value):
    ticket = make_ticket()
    kind = db.session.scalar(select(CommitmentType.id))
    add_commitment(
        ticket.number,
        {"type_id": kind, "responsible_id": admin.id, "due_at": "2030-01-01T10:00:00+00:00"},
        admin,
    )
    client = client_for(admin)
    data = {field: value for field in FIELDS}
    posted = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith(("/api/", "/plugins/")):
            continue
        if rule.endpoint in ("auth.logout", "admin.set_role", "admin.set_active"):
            continue  # would log the admin out or demote them for the rest of the walk
        url = _concrete(rule).replace("/x/", "/types/").replace("/plugins/x/x", "/plugins/dummy/x")
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, response.status_code)
        assert "<script>alert(1)</script>" not in response.text, url
        posted += 1
    assert posted > 25


@pytest.mark.parametrize(
    "query",
    ["/search?q=%3Cscript%3E", "/search?q=" + "9" * 40, "/customers/?q=" + "x" * 5000,
     "/tickets/new?customer_id=abc&customer_q=%00", "/tickets/suggestions?subject=" + "y" * 9000,
     "/tickets/?consultant=" + "z" * 5000 + "&consultant_id=abc", "/tickets/?consultant_id=-1",
     "/tickets/new?consultant=%00&consultant_id=99999999999999999999",
     "/customers/consultants?q=%3Cscript%3E" + "x" * 5000],
)  # fmt: skip
def test_no_search_answers_500(as_agent, query):
    response = as_agent.get(query)
    assert response.status_code < 500
    assert "<script>" not in response.text
