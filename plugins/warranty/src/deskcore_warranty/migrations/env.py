"""Alembic environment of the warranty plugin (run by ``deskcore plugins enable warranty`` and
``deskcore db upgrade``); its version table is ``alembic_version_warranty``."""

from deskcore.migrate import run_environment

run_environment()
