"""Engine settings that make SQLite behave under concurrent writers like PostgreSQL does."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_SECONDS = 30
#: The lock file beside a SQLite database that serialises writing units of work.
WRITE_LOCK_SUFFIX = "-writelock"

# True while a unit of work runs: SQLite then starts its transaction with BEGIN IMMEDIATE,
# taking the write lock up front instead of failing on a stale read snapshot later.
writing: ContextVar[bool] = ContextVar("deskcore_writing", default=False)


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


def write_lock(engine: Engine) -> AbstractContextManager:
    """Held around a unit of work: on a SQLite file, an exclusive lock on a file beside it.

    SQLite's busy handler makes a waiting writer sleep in growing steps (1, 2, 5, 10 … ms)
    and retry; blocked on this lock instead, it wakes as soon as the writer before it is
    done. SQLite's own lock and busy timeout still guard writes made without it.
    """
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return nullcontext()
    path = os.path.abspath(engine.url.database) + WRITE_LOCK_SUFFIX
    lock = _locks.get(path)
    if lock is None:
        lock = _locks.setdefault(path, _FileLock(path))
    return lock.held()


class _FileLock:
    """``flock`` on a file, opened once per process (a lock inherited through fork would be
    shared with the parent), behind a thread lock (threads share the process's file)."""

    def __init__(self, path: str):
        self.path = path
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._thread_lock:
            if self._pid != os.getpid():
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self._pid = os.getpid()
            # A worker stuck while holding it is killed by gunicorn's timeout; the kernel
            # then releases the lock.
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)


#: Database file → its lock, one per process.
_locks: dict[str, _FileLock] = {}
