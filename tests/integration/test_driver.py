"""The hot path's driver connections: errors arrive as SQLAlchemy's, and the pool stays sound."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError

from moderation.store.db import Database, make_engine


@pytest.fixture
def db(postgres_url):
    database = Database(make_engine(postgres_url))
    yield database
    database.dispose()


def test_a_statement_commits_by_itself(db):
    with db.driver() as connection:
        connection.execute("CREATE TABLE notes (n int)")
        connection.execute("INSERT INTO notes VALUES (1)")
    with db.engine.connect() as other:
        assert other.scalar(text("SELECT count(*) FROM notes")) == 1


def test_a_bad_statement_raises_sqlalchemys_error_and_leaves_the_connection_usable(db):
    with pytest.raises(ProgrammingError), db.driver() as connection:
        connection.execute("SELECT * FROM no_such_table")
    with db.driver() as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)
    # Back in the pool as SQLAlchemy expects it: its statements form a transaction again.
    with db.engine.connect() as again:
        again.execute(text("CREATE TABLE undone (n int)"))
        again.rollback()
        assert again.scalar(text("SELECT to_regclass('undone')")) is None


def test_a_connection_the_server_dropped_is_discarded_not_reused(db, postgres_url):
    with db.driver() as connection:
        pid = connection.info.backend_pid
    admin = make_engine(postgres_url)
    with admin.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    with pytest.raises(OperationalError) as failure, db.driver() as connection:
        connection.execute("SELECT 1")  # the pooled connection, dead since
    assert failure.value.connection_invalidated
    with db.driver() as connection:
        assert connection.info.backend_pid != pid
        assert connection.execute("SELECT 1").fetchone() == (1,)
