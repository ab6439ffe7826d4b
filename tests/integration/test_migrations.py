"""Migrations: they build exactly the schema the models describe, and they step back down."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import moderation.store.webhooks  # noqa: F401 - registers the webhook tables on the metadata
from moderation.store.db import Database, alembic_config, make_engine
from moderation.store.models import Base


def test_migrated_schema_matches_the_models(database_url):
    database = Database(make_engine(database_url))
    database.upgrade()
    try:
        with database.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    finally:
        database.dispose()


def test_migrations_go_down_to_nothing_and_up_again(database_url):
    database = Database(make_engine(database_url))
    try:
        database.upgrade()
        with database.engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        assert set(inspect(database.engine).get_table_names()) <= {"alembic_version"}
        database.upgrade()
        assert {"comments", "audit_entries", "webhook_endpoints"} <= set(
            inspect(database.engine).get_table_names()
        )
    finally:
        database.dispose()


def test_0010_gives_decided_comments_their_severity(database_url):
    from datetime import UTC, datetime

    from sqlalchemy import text

    database = Database(make_engine(database_url))
    now = datetime.now(UTC)
    reasons = '[{"code": "strong_profanity", "severity": 2}, {"code": "x", "severity": 1}]'
    try:
        database.upgrade("0008")
        with database.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO sites (id, name, created_at, hide_on_report) "
                     "VALUES ('s', 'planet', :now, false)"),
                {"now": now},
            )  # fmt: skip
            for n, status in enumerate(("held", "approved", "queued")):
                connection.execute(
                    text(
                        "INSERT INTO comments (id, site_id, external_id, request_digest, story_id,"
                        " author_id, body, received_at, status, revision, enqueued_at, categories,"
                        " report_weight) VALUES (:id, 's', :id, '', 'st', 'a', 'b', :now, :status,"
                        " 1, :now, '', 0)"
                    ),
                    {"id": f"c{n}", "now": now, "status": status},
                )
            for n, found in ((0, reasons), (1, "[]")):
                connection.execute(
                    text(
                        "INSERT INTO decisions (comment_id, revision, action, reasons,"
                        " ruleset_version, decided_at, decided_by)"
                        " VALUES (:id, 1, 'hold', :reasons, 'v', :now, 'w')"
                    ),
                    {"id": f"c{n}", "reasons": found, "now": now},
                )
        database.upgrade()
        with database.engine.connect() as connection:
            found = dict(connection.execute(text("SELECT id, severity FROM comments")).all())
        assert found == {"c0": 2, "c1": 0, "c2": 0}
    finally:
        database.dispose()
