"""Alembic environment of the dummy test plugin (run through ``deskcore db upgrade``)."""

from deskcore.migrate import run_environment

run_environment()
