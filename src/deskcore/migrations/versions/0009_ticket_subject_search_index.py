"""trigram index of ticket subjects for the ticket list's text filter (FTS5 / pg_trgm)

Revision ID: 0009_subject_search_index
Revises: 0008_partial_ticket_indexes
Create Date: 2026-11-22 19:00:00
"""

from alembic import op

revision = "0009_subject_search_index"
down_revision = "0008_partial_ticket_indexes"
branch_labels = None
depends_on = None

# The statements are copied here, not imported from deskcore.models.tickets: a migration
# keeps creating what it created when it was written. The models build the same objects.
FTS = "tickets_fts"
SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS} USING fts5("
    "subject, content='tickets', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON tickets BEGIN "
    f"INSERT INTO {FTS}(rowid, subject) VALUES (new.id, new.subject); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON tickets BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, subject) VALUES ('delete', old.id, old.subject); END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF subject ON tickets "
    "WHEN old.subject IS NOT new.subject BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, subject) VALUES ('delete', old.id, old.subject); "
    f"INSERT INTO {FTS}(rowid, subject) VALUES (new.id, new.subject); END",
    # Index the subjects already there.
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
)
SQLITE_DROP = (
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TABLE IF EXISTS {FTS}",
)
TRGM_INDEX = "ix_tickets_subject_trgm"


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_CREATE:
            bind.exec_driver_sql(statement)
    elif bind.dialect.name == "postgresql":
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # Named with its schema: the desk's search_path may leave the extension's schema out.
        schema = bind.exec_driver_sql(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        ).scalar_one()
        bind.exec_driver_sql(
            f'CREATE INDEX {TRGM_INDEX} ON tickets USING gin (subject "{schema}".gin_trgm_ops)'
        )


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            bind.exec_driver_sql(statement)
    elif bind.dialect.name == "postgresql":
        # pg_trgm stays: it may have been there before, and other objects may use it.
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
