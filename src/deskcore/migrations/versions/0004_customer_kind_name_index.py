"""index customers by kind and folded name

Revision ID: 0004_customer_kind_name
Revises: 0003_status_number
Create Date: 2026-11-22 14:40:00
"""

from alembic import op

revision = "0004_customer_kind_name"
down_revision = "0003_status_number"
branch_labels = None
depends_on = None


def upgrade():
    # The consultant list (kind = consultant, by name) read every customer in name order.
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index("ix_customers_kind_name", ["kind", "name_folded"], unique=False)
        batch_op.drop_index("ix_customers_kind")


def downgrade():
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index("ix_customers_kind", ["kind"], unique=False)
        batch_op.drop_index("ix_customers_kind_name")
