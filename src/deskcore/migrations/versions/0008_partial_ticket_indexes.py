"""indexes of seldom-set ticket columns hold only the tickets that have a value

Revision ID: 0008_partial_ticket_indexes
Revises: 0007_classifications_version
Create Date: 2026-11-22 17:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_partial_ticket_indexes"
down_revision = "0007_classifications_version"
branch_labels = None
depends_on = None

# A new ticket sets none of these columns, yet wrote an entry (a page in SQLite's log) into
# each of their indexes; as partial indexes they cost nothing until the column is set.
COVER = ["resolved_at", "received_at", "type_id", "assignee_id", "queue_id"]
INDEXES = (
    ("ix_tickets_resolved_cover", COVER),
    ("ix_tickets_consultant_id", ["consultant_id"]),
    ("ix_tickets_topic_id", ["topic_id"]),
    ("ix_tickets_serial_number", ["serial_number"]),
    ("ix_tickets_order_ref", ["order_ref"]),
    ("ix_tickets_payment_ref", ["payment_ref"]),
    ("ix_tickets_dispatch_ref", ["dispatch_ref"]),
    ("ix_tickets_closed_at", ["closed_at"]),
)


def upgrade():
    for name, columns in INDEXES:
        present = sa.text(f"{columns[0]} IS NOT NULL")
        op.drop_index(name, table_name="tickets")
        op.create_index(name, "tickets", columns, sqlite_where=present, postgresql_where=present)


def downgrade():
    for name, columns in reversed(INDEXES):
        op.drop_index(name, table_name="tickets")
        op.create_index(name, "tickets", columns)
