"""Alembic environment: runs migrations on the connection the service hands over."""

from alembic import context

import moderation.store.webhooks  # noqa: F401 - registers the webhook tables
from moderation.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic` run by hand reaches this
    raise RuntimeError("run migrations with `moderation db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
