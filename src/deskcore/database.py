"""Engine settings that make SQLite behave under concurrent writers like PostgreSQL does."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

SQLITE_BUSY_TIMEOUT_SECONDS = 30
#: The lock file beside a SQLite database that serialises writing units of work.
WRITE_LOCK_SUFFIX = "-writelock"

# True while a unit of work runs: SQLite then starts its transaction with BEGIN IMMEDIATE
# (once the unit holds its ``WriteLock``), taking SQLite's write lock up front instead of
# failing on a stale read snapshot later.
writing: ContextVar[bool] = ContextVar("deskcore_writing", default=False)
#: The running unit of work's ``WriteLock`` (None outside one).
current_write_lock: ContextVar[WriteLock | None] = ContextVar("deskcore_write_lock", default=None)
#: Statements that neither write nor need the lock (the deferred BEGIN itself).
_READING = frozenset({"SELECT", "BEGIN"})
#: ``Connection.info`` key: its transaction began deferred and has not taken the lock yet.
_DEFERRED_BEGIN = "deskcore_deferred_begin"


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
    # A writer takes SQLite's write lock up front: a deferred transaction that read first
    # would fail with "database is locked" when another worker committed meanwhile. A unit
    # of work that defers its lock reads in a plain transaction until its first write.
    lock = current_write_lock.get()
    deferred = writing.get() and lock is not None and not lock.held
    connection.info[_DEFERRED_BEGIN] = deferred
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing.get() and not deferred else "BEGIN")


@event.listens_for(Engine, "before_cursor_execute")
def _sqlite_first_write(connection, cursor, statement, parameters, context, executemany):
    """A deferred unit of work's first statement that is not a plain SELECT takes the lock."""
    lock = current_write_lock.get()
    if lock is None or lock.held or connection.dialect.name != "sqlite":
        return
    if statement.split(None, 1)[0].upper() not in _READING:
        lock.take(connection)


def write_lock(engine: Engine) -> WriteLock:
    """The lock a unit of work holds while it writes: on a SQLite file, an exclusive lock
    on a file beside it (see ``WriteLock``); nothing to hold on other databases."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return WriteLock(None)
    path = os.path.abspath(engine.url.database) + WRITE_LOCK_SUFFIX
    lock = _locks.get(path)
    if lock is None:
        lock = _locks.setdefault(path, _FileLock(path))
    return WriteLock(lock)


class WriteLock:
    """One unit of work's hold on its database's writer lock, taken now or at its first write.

    SQLite's busy handler makes a waiting writer sleep in growing steps (1, 2, 5, 10 … ms)
    and retry; blocked on this lock instead, it wakes as soon as the writer before it is
    done. SQLite's own lock and busy timeout still guard writes made without it.

    Held from ``take`` until ``release``, or as a context manager. Taken while the
    connection is in a plain (deferred) transaction, which has only read, it ends that
    transaction and begins ``BEGIN IMMEDIATE``: what follows sees every committed write, as
    each statement does under PostgreSQL's READ COMMITTED.
    """

    def __init__(self, file_lock: _FileLock | None):
        self._file_lock = file_lock
        self.held = file_lock is None

    def take(self, connection: Connection | None = None) -> None:
        if self.held:
            return
        self._file_lock.acquire()
        self.held = True
        if connection is not None and connection.info.pop(_DEFERRED_BEGIN, False):
            driver = connection.connection.driver_connection
            if driver.in_transaction:
                driver.execute("COMMIT")
            driver.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.held and self._file_lock is not None:
            self.held = False
            self._file_lock.release()

    def __enter__(self) -> WriteLock:
        self.take()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


class _FileLock:
    """``flock`` on a file, opened once per process (a lock inherited through fork would be
    shared with the parent), behind a thread lock (threads share the process's file)."""

    def __init__(self, path: str):
        self.path = path
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid: int | None = None

    def acquire(self) -> None:
        self._thread_lock.acquire()
        try:
            if self._pid != os.getpid():
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self._pid = os.getpid()
            # A worker stuck while holding it is killed by gunicorn's timeout; the kernel
            # then releases the lock.
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()


#: Database file → its lock, one per process.
_locks: dict[str, _FileLock] = {}
