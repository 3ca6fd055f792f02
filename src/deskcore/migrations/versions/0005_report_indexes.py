"""indexes the reports read periods by

Revision ID: 0005_report_indexes
Revises: 0004_customer_kind_name
Create Date: 2026-11-22 14:40:00
"""

from alembic import op

revision = "0005_report_indexes"
down_revision = "0004_customer_kind_name"
branch_labels = None
depends_on = None

#: (table, index, columns): every report over a period reads its rows through one of these.
INDEXES = (
    (
        "tickets",
        "ix_tickets_resolved_cover",
        ["resolved_at", "received_at", "type_id", "assignee_id", "queue_id"],
    ),
    ("history_events", "ix_history_events_field_created", ["field", "created_at"]),
    ("time_entries", "ix_time_entries_spent_on", ["spent_on"]),
    ("commitment_due_changes", "ix_commitment_due_changes_changed_at", ["changed_at"]),
)


def upgrade():
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
