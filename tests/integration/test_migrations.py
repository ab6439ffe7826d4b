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
