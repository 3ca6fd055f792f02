"""The plugin's own Alembic environment builds exactly its models, in its own version table."""

from __future__ import annotations

from sqlalchemy import inspect, text

from deskcore.extensions import db
from deskcore.migrate import differences, upgrade


def test_the_migration_builds_exactly_the_plugins_models(empty_app):
    app = empty_app
    upgrade(app)
    assert upgrade(app, "warranty")
    assert differences(app, "warranty") == []
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        with db.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version_warranty"))
            assert len(version.all()) == 1
    assert {t for t in tables if t.startswith("warranty_")} == {
        "warranty_products",
        "warranty_units",
        "warranty_causes",
        "warranty_claims",
        "warranty_orders",
        "warranty_order_lines",
    }
