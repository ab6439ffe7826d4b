"""The hot path's driver connections: kept per thread, errors arrive as SQLAlchemy's."""

from __future__ import annotations

import threading
from typing import Any

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
    with db.driver() as connection:
        pid = connection.info.backend_pid
    with pytest.raises(ProgrammingError), db.driver() as connection:
        connection.execute("SELECT * FROM no_such_table")
    with db.driver() as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)
        assert connection.info.backend_pid == pid  # the same connection, kept


def test_each_thread_keeps_its_own_connection_until_disposed(db):
    with db.driver() as connection:
        mine = connection
    other: list[Any] = []

    def use() -> None:
        with db.driver() as connection:
            other.append(connection)

    thread = threading.Thread(target=use)
    thread.start()
    thread.join()

    assert other[0] is not mine
    db.dispose()
    assert mine.closed
    assert other[0].closed
    with db.driver() as connection:  # a new one on the next use
        assert connection.execute("SELECT 1").fetchone() == (1,)


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


def test_a_connection_older_than_the_recycle_age_is_replaced(postgres_url):
    db = Database(make_engine(postgres_url), recycle=0)
    try:
        with db.driver() as first:
            pass
        with db.driver() as second:
            assert second.execute("SELECT 1").fetchone() == (1,)
        assert second is not first
        assert first.closed
    finally:
        db.dispose()
