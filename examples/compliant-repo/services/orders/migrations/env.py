"""Alembic environment: migrations run against the orders tables' metadata."""

from alembic import context
from sqlmodel import SQLModel

import app.db  # noqa: F401  (registers the tables)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    """Run the pending revisions in one transaction."""
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
