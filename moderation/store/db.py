"""Database engine, sessions and migrations for SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # Plain postgresql:// would pick psycopg2, which we do not ship; psycopg 3 is.
        parsed = parsed.set(drivername="postgresql+psycopg")
    # No pre-ping: it costs a round trip on every checkout. A connection the server dropped
    # fails its statement instead (503 for a request, a retry for a job) and the pool discards
    # it; recycling keeps connections younger than typical server and proxy idle timeouts.
    engine = create_engine(parsed, echo=echo, pool_recycle=1800, pool_size=5, max_overflow=5)
    if not wait_for_flush:
        event.listen(engine, "connect", _no_flush_wait)
    return engine


class Database:
    """The engine plus a session factory; one per process, built by the composition root."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

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
        """The driver's own pooled connection, every statement committing by itself.

        Driver errors are raised as SQLAlchemy's, so callers and the web's 503 handler see one
        kind; a connection the server dropped is discarded, not returned to the pool.
        """
        pooled = self.engine.raw_connection()
        connection: Any = pooled.driver_connection
        dbapi = self.engine.dialect.loaded_dbapi
        try:
            connection.autocommit = True
            yield connection
        except dbapi.Error as error:
            lost = self.engine.dialect.is_disconnect(error, connection, None)
            if lost:
                pooled.invalidate(error)
            raise DBAPIError.instance(
                None, None, error, dbapi.Error, connection_invalidated=lost
            ) from error
        finally:
            try:
                if not connection.closed:
                    connection.autocommit = False  # as SQLAlchemy expects it back in the pool
            except dbapi.Error as error:  # interrupted mid-statement: not fit to reuse
                pooled.invalidate(error)
            pooled.close()

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema up to a revision with Alembic."""
        from alembic import command  # only here: workers never migrate, and alembic is large

        with self.engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)

    def dispose(self) -> None:
        """Close pooled connections (before a fork, or at shutdown)."""
        self.engine.dispose()


def alembic_config(connection: Any = None) -> Config:
    """Alembic configuration pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config
