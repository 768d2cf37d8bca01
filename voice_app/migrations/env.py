"""Alembic environment: migrations run against the app's own engine and metadata."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
# Keep the loggers that exist already (the app's, the worker's): migrating must not
# silence them in a process that goes on running the app.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url",
    target_db.engine.url.render_as_string(hide_password=False).replace("%", "%%"),
)


def run_migrations_offline():
    """Emit SQL to stdout instead of running it."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations on the app's engine."""

    def process_revision_directives(context, revision, directives):
        # Never write an empty migration when the models have not changed.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    conf_args.setdefault("process_revision_directives", process_revision_directives)

    with target_db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Rebuilding a table (batch mode) drops it while other tables still refer to
            # it. SQLite only lets foreign keys be switched off outside a transaction, so
            # on the driver's connection, before Alembic begins one.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            if connection.in_transaction():
                connection.commit()
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.commit()
            # Never hand a connection with foreign keys off back to the pool.
            connection.invalidate()
            if broken:
                raise RuntimeError(f"migrations left broken foreign keys in {broken[0][0]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
