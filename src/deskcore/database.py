"""Engine settings that make SQLite behave under concurrent writers like PostgreSQL does."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .services.unit_of_work import writing

SQLITE_BUSY_TIMEOUT_SECONDS = 30


def engine_options(database_uri: str) -> dict:
    if database_uri.startswith("sqlite"):
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}}
    return {}


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event below emit BEGIN itself (pysqlite would defer it).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    if connection.dialect.name != "sqlite":
        return
    # A unit of work takes the write lock up front: a deferred transaction that read first
    # would fail with "database is locked" when another worker committed meanwhile.
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing.get() else "BEGIN")
