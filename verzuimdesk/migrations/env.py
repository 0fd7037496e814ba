"""Alembic environment: runs on the connection handed over by verzuimdesk.model.db."""

from alembic import context
from sqlmodel import SQLModel

import verzuimdesk.model.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when run through the alembic command line
    import sqlalchemy as sa

    from verzuimdesk.model.db import default_url

    engine = sa.create_engine(config.get_main_option("sqlalchemy.url") or default_url())
    connection = engine.connect()

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
