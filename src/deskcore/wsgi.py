"""The app as production servers load it: ``gunicorn 'deskcore.wsgi:app'``."""

from __future__ import annotations

import gc

from . import create_app

app = create_app()
# What is loaded by now (modules, models, schemas, plugins) lives as long as the worker.
# Frozen, the cyclic garbage collector stops walking it again on every full collection.
gc.freeze()
