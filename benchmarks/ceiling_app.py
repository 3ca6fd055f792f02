"""The ceiling for ticket creation on SQLite: about the best rate any route on this stack reaches.

The desk's own app (same Flask, extensions, before- and after-request handlers) with one more
route, ``POST /api/v1/ceiling/tickets``, that opens a ticket with hand-written SQL on the raw
sqlite3 connection: the token check, the enabled plugins, the customer, the classifications'
version, the number, the ticket row and its history row, under the same write lock and
``BEGIN IMMEDIATE`` as a unit of work. It skips everything else the real route does (the
services, hooks, coverage, ORM objects, the full answer), so it is a measuring stick, never
a way to open tickets: ``benchmarks/api_create.py --ceiling`` serves it next to the bare route.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from flask import request

from deskcore import create_app
from deskcore.api import auth
from deskcore.database import write_lock
from deskcore.extensions import db
from deskcore.schemas import TicketOpenSchema
from deskcore.services.unit_of_work import schema_instance

PATH = "/api/v1/ceiling/tickets"
OWNER = (
    "SELECT u.id FROM api_tokens t JOIN users u ON u.id = t.user_id "
    "WHERE t.token_hash = ? AND NOT t.revoked AND u.active"
)
TICKET = (
    "INSERT INTO tickets (number, customer_id, subject, symptom, type_id, priority_id, "
    "status_id, channel, received_at, diagnosis, resolution, entered_by_id, coverage, "
    "coverage_plugin, coverage_reason, coverage_overridden, created_at, updated_at) "
    "VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, '', '', ?, 'billable', 'core', '', 0, ?, ?) "
    "RETURNING id"
)
HISTORY = (
    "INSERT INTO history_events (ticket_id, actor_id, created_at, source, action, field, "
    "old_value, new_value) VALUES (?, ?, ?, 'core', 'opened', 'status', NULL, ?)"
)

app = create_app()
# The route checks the token itself, with one raw query instead of the API's.
auth.PUBLIC_PATHS = auth.PUBLIC_PATHS | {PATH}
_schema = schema_instance(TicketOpenSchema)


def _defaults(c) -> tuple[int, int, int, str]:
    """Default type, priority and open status (what the real route caches per worker)."""
    first = "SELECT id FROM {} WHERE active ORDER BY is_default DESC, position LIMIT 1"
    status = c.execute(
        "SELECT id, name FROM statuses WHERE active AND category = 'open' "
        "ORDER BY is_default DESC, position LIMIT 1"
    ).fetchone()
    type_id = c.execute(first.format("ticket_types")).fetchone()[0]
    priority_id = c.execute(first.format("priorities")).fetchone()[0]
    return type_id, priority_id, status[0], status[1]


@app.post(PATH)
def open_ticket_ceiling():
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    values = _schema.load(json.loads(request.get_data()))
    token_hash = hashlib.sha256(secret.strip().encode()).hexdigest()
    with write_lock(db.engine):
        connection = db.engine.raw_connection()
        try:
            c = connection.driver_connection
            owner = c.execute(OWNER, (token_hash,)).fetchone()
            if scheme.lower() != "bearer" or owner is None:
                return {"error": "unauthorized"}, 401
            c.execute("SELECT name FROM plugin_states WHERE enabled").fetchall()
            defaults = app.extensions.get("ceiling_defaults") or _defaults(c)
            app.extensions["ceiling_defaults"] = defaults
            type_id, priority_id, status_id, status_name = defaults
            c.execute("BEGIN IMMEDIATE")
            try:
                c.execute("SELECT id FROM customers WHERE id = ?", (values["customer_id"],))
                c.execute("SELECT last_value FROM sequences WHERE name = 'classifications-version'")
                number = c.execute(
                    "UPDATE sequences SET last_value = last_value + 1 WHERE name = 'tickets' "
                    "RETURNING last_value"
                ).fetchone()[0]
                now = datetime.now(UTC).isoformat()
                row = (number, values["customer_id"], values["subject"], type_id, priority_id,
                       status_id, values["channel"], now, owner[0], now, now)  # fmt: skip
                ticket_id = c.execute(TICKET, row).fetchone()[0]
                c.execute(HISTORY, (ticket_id, owner[0], now, status_name))
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        finally:
            connection.close()
    return {"id": ticket_id, "number": number, "subject": values["subject"]}, 201
