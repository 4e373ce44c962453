"""Alembic environment: runs against the engine handed over by ``salesboard.store.schema``."""

from alembic import context
from sqlalchemy import create_engine

from salesboard.store import models  # noqa: F401  (registers every table on the metadata)
from salesboard.store.models import metadata

config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(
        config.get_main_option("sqlalchemy.url")
    )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
