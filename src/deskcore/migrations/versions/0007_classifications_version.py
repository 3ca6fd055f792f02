"""start the classifications version, so workers cache the default type, priority and status

Revision ID: 0007_classifications_version
Revises: 0006_idempotency_created
Create Date: 2026-11-22 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_classifications_version"
down_revision = "0006_idempotency_created"
branch_labels = None
depends_on = None

# services.tickets_base caches only while this row exists; until now only an edit of a
# classification created it, so an upgraded desk never cached.
ROW = "classifications-version"


def upgrade():
    op.get_bind().execute(
        sa.text(
            "INSERT INTO sequences (name, last_value) SELECT CAST(:name AS VARCHAR(80)), 1 "
            "WHERE NOT EXISTS (SELECT 1 FROM sequences WHERE name = :name)"
        ),
        {"name": ROW},
    )


def downgrade():
    op.get_bind().execute(sa.text("DELETE FROM sequences WHERE name = :name"), {"name": ROW})
