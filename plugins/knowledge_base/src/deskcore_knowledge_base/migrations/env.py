"""Alembic environment of the knowledge_base plugin (run by ``deskcore plugins enable
knowledge_base`` and ``deskcore db upgrade``); its version table is
``alembic_version_knowledge_base``."""

from deskcore.migrate import run_environment

run_environment()
