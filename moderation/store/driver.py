"""Core statements compiled once for PostgreSQL and run on the driver's own connection.

Only the statements every comment runs go through here (the intake's insert, the worker's
read and write): SQLAlchemy's per-statement work cost more CPU than PostgreSQL's own, and the
service's throughput is bounded by CPU. The SQL still comes from the models. Each runs as a
statement prepared once per connection and executed by libpq itself (Statement.run).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import namedtuple
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sqlalchemy import literal, literal_column
from sqlalchemy.dialects.postgresql import psycopg
from sqlalchemy.sql import ClauseElement, ColumnElement

if TYPE_CHECKING:
    from psycopg import errors, pq

_DIALECT = psycopg.dialect()  # type: ignore[no-untyped-call]
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_UNDEFINED_STATEMENT = b"26000"  # invalid_sql_statement_name: not prepared on this connection


@dataclass(frozen=True, slots=True)
class Result:
    """What a statement run on libpq returned: its rows, and how many it touched.

    Rows are named tuples: read by column name, as SQLAlchemy's rows are.
    """

    rows: list[Any]
    count: int


#: Each statement's row type, by statement name, made from its result's column names.
_row_types: dict[bytes, Any] = {}


def _row_type(name: bytes, result: pq.abc.PGresult) -> Any:
    found = _row_types.get(name)
    if found is None:
        columns = [(result.fname(i) or b"").decode() for i in range(result.nfields)]
        found = _row_types[name] = namedtuple("Row", columns, rename=True)
    return found


#: The statements prepared on each connection, by name; forgotten with the connection.
_prepared: WeakKeyDictionary[Any, set[bytes]] = WeakKeyDictionary()
_prepared_lock = threading.Lock()


def _prepared_on(connection: Any) -> set[bytes]:
    found = _prepared.get(connection)
    if found is None:
        with _prepared_lock:
            found = _prepared.setdefault(connection, set())
    return found


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement's PostgreSQL text, in psycopg's parameter style and numbered for libpq."""

    sql: str
    fixed: Mapping[str, Any]
    #: The same text with $n placeholders, what libpq prepares, and the names in their order.
    numbered: bytes
    order: tuple[str, ...]
    name: bytes

    @classmethod
    def of(cls, statement: ClauseElement, **compile_kwargs: Any) -> Statement:
        """Compile a Core statement once; literals it holds become fixed parameter values."""
        compiled = statement.compile(dialect=_DIALECT, **compile_kwargs)
        sql = str(compiled)
        order: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) not in order:
                order.append(match.group(1))
            return f"${order.index(match.group(1)) + 1}"

        numbered = _PLACEHOLDER.sub(number, sql).replace("%%", "%").encode()
        name = b"moderation_" + hashlib.sha256(numbered).hexdigest()[:16].encode()
        return cls(sql, dict(compiled.params), numbered, tuple(order), name)

    def run(self, connection: Any, params: Mapping[str, Any]) -> Result:
        """Execute on a driver connection from Database.driver(), prepared, through libpq.

        psycopg's own execute costs a request more CPU than the statement: its cursor, its
        generators and its waits are Python. Here libpq does the round trip (the GIL released
        meanwhile) and psycopg only adapts values. Parameters go as text: the server types
        them from the statement's casts, so one prepared statement serves any values.
        """
        # Imported here, not at the top: psycopg's libpq is 9 MiB of a process's memory, and
        # a worker on SQLite compiles these statements but never runs them.
        from psycopg import pq
        from psycopg.adapt import PyFormat, Transformer

        names = _prepared_on(connection)
        values = [params[name] if name in params else self.fixed[name] for name in self.order]
        transformer = Transformer(connection)
        dumped = transformer.dump_sequence(values, [PyFormat.TEXT] * len(values))
        pgconn = connection.pgconn
        if self.name not in names:
            self._prepare(connection, names)
        result = pgconn.exec_prepared(self.name, dumped)
        if result.status == pq.ExecStatus.FATAL_ERROR and (
            result.error_field(pq.DiagnosticField.SQLSTATE) == _UNDEFINED_STATEMENT
        ):  # deallocated behind our back (DISCARD ALL, a pooler): prepare again, once
            self._prepare(connection, names)
            result = pgconn.exec_prepared(self.name, dumped)
        if result.status not in (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK):
            raise _error(connection, result)
        transformer.set_pgresult(result)
        rows = (
            transformer.load_rows(0, result.ntuples, _row_type(self.name, result)._make)
            if result.ntuples
            else []
        )
        return Result(rows, result.command_tuples or 0)

    def _prepare(self, connection: Any, names: set[bytes]) -> None:
        from psycopg import pq

        names.discard(self.name)
        result = connection.pgconn.prepare(self.name, self.numbered)
        if result.status != pq.ExecStatus.COMMAND_OK:
            raise _error(connection, result)
        names.add(self.name)


def _error(connection: Any, result: pq.abc.PGresult) -> errors.Error:
    from psycopg import errors, pq

    # A lost connection is an OperationalError, as psycopg's own execute raises it: the web
    # answers that with 503, and Database.driver() replaces the connection.
    if connection.pgconn.status == pq.ConnStatus.BAD:
        return errors.OperationalError(result.get_error_message())
    return errors.error_from_result(result, encoding=connection.info.encoding)


def inline(value: Any) -> ColumnElement[Any]:
    """A constant written into a statement's SQL, so no parameter carries it on each run."""
    rendered = literal(value).compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True})
    return literal_column(str(rendered))
