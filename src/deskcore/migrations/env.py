"""Alembic environment of Deskcore core (run through ``deskcore db upgrade``)."""

from deskcore.migrate import run_environment

run_environment()
