"""The plugin's own Alembic environment builds exactly its models, in its own version table."""

from __future__ import annotations

from sqlalchemy import inspect, text

from deskcore import create_app
from deskcore.extensions import db
from deskcore.migrate import differences, upgrade


def test_the_migration_builds_exactly_the_plugins_models(empty_database, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": empty_database,
            "DESKCORE_INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    try:
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
    finally:
        with app.app_context():
            db.engine.dispose()
