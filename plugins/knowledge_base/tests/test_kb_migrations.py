"""The plugin's own Alembic environment builds exactly its models, in its own version table."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect, make_url, text

from deskcore import create_app
from deskcore.extensions import db
from deskcore.migrate import differences, upgrade
from deskcore.testing import TEST_DATABASE_ENV, database_url_from


@pytest.fixture
def empty_database(tmp_path) -> Iterator[str]:
    """An empty database: a throwaway one on the test PostgreSQL server, else SQLite."""
    server = os.environ.get(TEST_DATABASE_ENV)
    if not server:
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    url = make_url(database_url_from(server))
    name = f"kb_empty_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
        assert upgrade(app, "knowledge_base")
        assert differences(app, "knowledge_base") == []
        with app.app_context():
            tables = set(inspect(db.engine).get_table_names())
        assert {t for t in tables if t.startswith("knowledge_base_")} == {
            "knowledge_base_topics",
            "knowledge_base_articles",
            "knowledge_base_article_versions",
            "knowledge_base_article_uses",
            "knowledge_base_searches",
        }
    finally:
        with app.app_context():
            db.engine.dispose()
