"""Core statements compiled once for PostgreSQL and run on the driver's own connection.

Only the statements every comment runs go through here (the intake's insert, the worker's
read and write): SQLAlchemy's per-statement work cost more CPU than PostgreSQL's own, and the
service's throughput is bounded by CPU. The SQL still comes from the models.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import literal, literal_column
from sqlalchemy.dialects.postgresql import psycopg
from sqlalchemy.sql import ClauseElement, ColumnElement

_DIALECT = psycopg.dialect()  # type: ignore[no-untyped-call]


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement's PostgreSQL text in psycopg's parameter style, with its fixed values."""

    sql: str
    fixed: Mapping[str, Any]

    @classmethod
    def of(cls, statement: ClauseElement, **compile_kwargs: Any) -> Statement:
        """Compile a Core statement once; literals it holds become fixed parameter values."""
        compiled = statement.compile(dialect=_DIALECT, **compile_kwargs)
        return cls(str(compiled), dict(compiled.params))

    def run(self, connection: Any, params: Mapping[str, Any]) -> Any:
        """Execute on a driver connection from Database.driver(); returns its cursor."""
        return connection.execute(self.sql, {**self.fixed, **params})


def inline(value: Any) -> ColumnElement[Any]:
    """A constant written into a statement's SQL, so no parameter carries it on each run."""
    rendered = literal(value).compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True})
    return literal_column(str(rendered))
