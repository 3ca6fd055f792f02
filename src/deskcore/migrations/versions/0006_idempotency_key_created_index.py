"""index idempotency keys by creation time

Revision ID: 0006_idempotency_created
Revises: 0005_report_indexes
Create Date: 2026-11-22 15:00:00
"""

from alembic import op

revision = "0006_idempotency_created"
down_revision = "0005_report_indexes"
branch_labels = None
depends_on = None


def upgrade():
    # Expired keys are pruned oldest first.
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index("ix_idempotency_keys_created_at", ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_idempotency_keys_created_at")
