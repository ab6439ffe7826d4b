"""Database engine, sessions and migrations for SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

import os
import select
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Connections are replaced after this many seconds: younger than typical server and proxy idle
#: timeouts.
RECYCLE_SECONDS = 1800


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web read while a worker writes; busy_timeout makes writers wait, not fail.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _no_flush_wait(dbapi_connection: Any, _record: Any) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    dbapi_connection.commit()


def make_engine(url: str, *, echo: bool = False, wait_for_flush: bool = True) -> Engine:
    """Create the SQLAlchemy engine for a URL, preparing SQLite files and pragmas.

    wait_for_flush=False lets PostgreSQL acknowledge commits before their WAL reaches disk: a
    crash may then lose the last moments of commits, which suits only work that is redone when
    lost (the moderation worker's decisions: their comments stay queued and are swept again).
    """
    parsed = make_url(url)
    # An error's message would otherwise quote the statement's parameters, comment text among
    # them, into the logs; MODERATION_SQL_ECHO, for debugging, shows them.
    hide = not echo
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, hide_parameters=hide, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # Plain postgresql:// would pick psycopg2, which we do not ship; psycopg 3 is.
        parsed = parsed.set(drivername="postgresql+psycopg")
    # No pre-ping: it costs a round trip on every checkout. A connection the server closed
    # (a restart, an idle timeout) is told without one, by its socket (`stale`), and replaced;
    # recycling keeps connections younger than typical server and proxy idle timeouts.
    engine = create_engine(
        parsed,
        echo=echo,
        hide_parameters=hide,
        pool_recycle=RECYCLE_SECONDS,
        pool_size=5,
        max_overflow=5,
    )
    event.listen(engine, "checkout", _replace_stale)
    if not wait_for_flush:
        event.listen(engine, "connect", _no_flush_wait)
    return engine


def stale(connection: Any) -> bool:
    """Has the server closed this idle PostgreSQL connection? No round trip: a socket the
    server closed, or sent its farewell on, reads as ready while nothing was asked of it."""
    try:
        ready, _, _ = select.select([connection.fileno()], [], [], 0)
    except (OSError, ValueError):  # closed on our side already
        return True
    return bool(ready)


def _replace_stale(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    # The pool discards a connection whose checkout raises this, and hands out another.
    if stale(dbapi_connection):
        raise DisconnectionError("the server closed this connection")


@dataclass(frozen=True)
class _Kept:
    """A thread's driver connection, when it was opened, and by which process."""

    connection: Any
    born: float
    pid: int

    def usable(self, recycle: float) -> bool:
        """Open, not due for recycling, and this process's own (a fork inherits, never uses)."""
        return (
            self.pid == os.getpid()
            and not self.connection.closed
            and time.monotonic() - self.born < recycle
            and not stale(self.connection)
        )


class Database:
    """The engine plus a session factory; one per process, built by the composition root."""

    def __init__(self, engine: Engine, *, recycle: float = RECYCLE_SECONDS) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._recycle = recycle
        self._kept = threading.local()  # each thread's driver connection (a _Kept)
        self._kept_lock = threading.Lock()
        self._all_kept: list[_Kept] = []  # every thread's, so dispose() can close them

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on error."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def autocommit(self) -> Iterator[Session]:
        """A session whose every statement commits by itself: one round trip, no COMMIT.

        For work that is one statement, or reads only; anything that must be atomic across
        statements uses session().
        """
        with (
            self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection,
            Session(bind=connection, expire_on_commit=False) as session,
        ):
            yield session

    @property
    def is_postgresql(self) -> bool:
        """Whether the store is PostgreSQL, whose hot path runs on the driver (store.driver)."""
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def driver(self) -> Iterator[Any]:
        """This thread's own driver connection, every statement committing by itself.

        Kept out of SQLAlchemy's pool and reused: checking a connection out and in, switching
        its autocommit each time, cost a request nearly as much CPU as its statement. Driver
        errors are raised as SQLAlchemy's, so callers and the web's 503 handler see one kind; a
        connection the server dropped, or left mid-statement, is closed and replaced.
        """
        from psycopg.pq import TransactionStatus  # on first use: see store.driver

        dbapi = self.engine.dialect.loaded_dbapi
        connection = None
        try:
            # Inside the block: a database down while a connection opens is an outage too (a
            # 503 with Retry-After for a request), not an error of ours.
            connection = self._kept_connection()
            yield connection
        except dbapi.Error as error:
            lost = connection is None or self.engine.dialect.is_disconnect(error, connection, None)
            if lost and connection is not None:
                self._drop(connection)
            raise DBAPIError.instance(
                None, None, error, dbapi.Error, connection_invalidated=lost
            ) from error
        finally:
            if (
                connection is not None
                and not connection.closed
                and connection.info.transaction_status != TransactionStatus.IDLE
            ):
                self._drop(connection)  # interrupted mid-statement: not fit to reuse

    def _kept_connection(self) -> Any:
        kept: _Kept | None = getattr(self._kept, "slot", None)
        if kept is not None and kept.usable(self._recycle):
            return kept.connection
        if kept is not None and kept.pid == os.getpid():
            self._drop(kept.connection)
        pooled = self.engine.raw_connection()  # runs the engine's connect listeners
        connection: Any = pooled.driver_connection
        pooled.detach()  # ours from now on: the pool neither counts nor closes it
        connection.autocommit = True
        kept = _Kept(connection, time.monotonic(), os.getpid())
        self._kept.slot = kept
        with self._kept_lock:
            self._all_kept.append(kept)
        return connection

    def _drop(self, connection: Any) -> None:
        with self._kept_lock:
            self._all_kept = [k for k in self._all_kept if k.connection is not connection]
        slot: _Kept | None = getattr(self._kept, "slot", None)
        if slot is not None and slot.connection is connection:
            self._kept.slot = None
        with suppress(Exception):  # a dead connection may fail to close; it is gone either way
            connection.close()

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema up to a revision with Alembic."""
        from alembic import command  # only here: workers never migrate, and alembic is large

        with self.engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)

    def dispose(self) -> None:
        """Close pooled and kept connections (before a fork, or at shutdown)."""
        with self._kept_lock:
            mine = [k for k in self._all_kept if k.pid == os.getpid()]
        for kept in mine:
            self._drop(kept.connection)
        self.engine.dispose()


def alembic_config(connection: Any = None) -> Config:
    """Alembic configuration pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config
