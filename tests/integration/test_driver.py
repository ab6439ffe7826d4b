"""The hot path's driver connections: kept per thread, errors arrive as SQLAlchemy's."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import BigInteger, Column, MetaData, String, Table, bindparam, insert, select, text
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, ProgrammingError

from moderation.store.db import Database, make_engine, stale
from moderation.store.driver import Statement

_NOTES = Table(
    "notes", MetaData(), Column("n", BigInteger, primary_key=True), Column("word", String(20))
)
_ADD = Statement.of(insert(_NOTES).values(n=bindparam("n"), word=bindparam("word")))
_FIND = Statement.of(
    select(_NOTES.c.n, _NOTES.c.word).where(_NOTES.c.n >= bindparam("least")).order_by(_NOTES.c.n)
)


@pytest.fixture
def db(postgres_url):
    database = Database(make_engine(postgres_url))
    yield database
    database.dispose()


def _terminate(postgres_url: str, pid: int) -> None:
    """End a connection from the server's side, as a restart or an idle timeout would."""
    admin = make_engine(postgres_url)
    with admin.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


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


def test_a_connection_the_server_closed_is_replaced_before_use(db, postgres_url):
    with db.driver() as connection:
        pid = connection.info.backend_pid
    _terminate(postgres_url, pid)
    _until_closed(db, pid)
    with db.driver() as connection:  # not a 503 on the first request after a restart
        assert connection.info.backend_pid != pid
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_a_pooled_connection_the_server_closed_is_replaced_before_use(db, postgres_url):
    with db.session() as session:
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    _terminate(postgres_url, pid)
    time.sleep(0.2)  # the server's farewell reaches the socket
    with db.session() as session:
        assert session.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid


def test_a_connection_lost_mid_use_is_an_error_of_sqlalchemys_and_is_discarded(db, postgres_url):
    def lose_it_mid_use() -> None:
        with db.driver() as connection:
            pids.append(connection.info.backend_pid)
            _terminate(postgres_url, pids[0])
            connection.execute("SELECT pg_sleep(0.2)")

    pids: list[int] = []
    with pytest.raises(OperationalError) as failure:
        lose_it_mid_use()
    assert failure.value.connection_invalidated
    pid = pids[0]
    with db.driver() as connection:
        assert connection.info.backend_pid != pid


def test_a_database_that_cannot_be_reached_is_an_error_of_sqlalchemys(postgres_url):
    db = Database(make_engine("postgresql://nobody@127.0.0.1:1/none"))
    try:
        with pytest.raises(OperationalError), db.driver():
            pass  # the web turns OperationalError into a 503 with Retry-After
    finally:
        db.dispose()


def _until_closed(db: Database, pid: int) -> None:
    """Wait for the server's farewell to reach this thread's kept connection."""
    kept = db._kept.slot.connection
    deadline = time.monotonic() + 5
    while not stale(kept) and time.monotonic() < deadline:
        time.sleep(0.02)


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


@pytest.fixture
def notes(db):
    _NOTES.create(db.engine)
    return db


def test_a_prepared_statement_takes_any_values_of_its_types(notes):
    # Sizes that psycopg would send as int2, int4 and int8, and a NULL, through one statement.
    with notes.driver() as connection:
        for n, word in ((1, "one"), (70_000, None), (10**12, "big")):
            assert _ADD.run(connection, {"n": n, "word": word}).count == 1
        found = _FIND.run(connection, {"least": 2})
    assert found.rows == [(70_000, None), (10**12, "big")]
    assert found.count == 2


def test_a_prepared_statement_is_prepared_again_when_the_server_forgot_it(notes):
    with notes.driver() as connection:
        _ADD.run(connection, {"n": 1, "word": "one"})
        connection.execute("DEALLOCATE ALL")  # what a pooler's reset or DISCARD ALL does
        assert _FIND.run(connection, {"least": 0}).rows == [(1, "one")]
        _ADD.run(connection, {"n": 2, "word": "two"})
        assert _FIND.run(connection, {"least": 0}).count == 2


def test_a_failing_prepared_statement_raises_sqlalchemys_error_and_keeps_the_connection(notes):
    with notes.driver() as connection:
        pid = connection.info.backend_pid
        _ADD.run(connection, {"n": 1, "word": "one"})
    with pytest.raises(IntegrityError), notes.driver() as connection:
        _ADD.run(connection, {"n": 1, "word": "again"})
    with pytest.raises(DataError), notes.driver() as connection:
        _ADD.run(connection, {"n": 2, "word": "far too long for twenty characters"})
    with notes.driver() as connection:
        assert connection.info.backend_pid == pid
        assert _FIND.run(connection, {"least": 0}).rows == [(1, "one")]


def test_a_connection_dropped_under_a_prepared_statement_is_replaced(notes, postgres_url):
    with notes.driver() as connection:
        _ADD.run(connection, {"n": 1, "word": "one"})
        pid = connection.info.backend_pid
    _terminate(postgres_url, pid)
    _until_closed(notes, pid)
    with notes.driver() as connection:  # a new connection, where nothing is prepared yet
        assert connection.info.backend_pid != pid
        assert _FIND.run(connection, {"least": 0}).rows == [(1, "one")]
