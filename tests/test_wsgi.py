"""The production entry point, ``deskcore.wsgi:app``."""

from __future__ import annotations

import os
import subprocess
import sys


def test_it_builds_the_app_from_the_environment_and_freezes_what_it_loaded(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKCORE_")}
    env.update(DESKCORE_INSTANCE_PATH=str(tmp_path), DESKCORE_SECRET_KEY="test")
    code = (
        "import gc, deskcore.wsgi as wsgi\n"
        "print(wsgi.app.config['SQLALCHEMY_DATABASE_URI'], gc.get_freeze_count())"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    url, frozen = run.stdout.split()
    assert url == f"sqlite:///{tmp_path / 'deskcore.sqlite'}"
    assert int(frozen) > 10_000  # the modules, models and schemas of the app
