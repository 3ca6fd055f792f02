"""index tickets by status and number

Revision ID: 0003_status_number
Revises: 0002_api
Create Date: 2026-11-22 13:50:00
"""

from alembic import op

revision = "0003_status_number"
down_revision = "0002_api"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index("ix_tickets_status_number", ["status_id", "number"], unique=False)


def downgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_status_number")
