"""Browser tests: the real UI in headless Chromium (Debian's /usr/bin/chromium) through
Playwright, against the app served from a thread on a free port with a prepared SQLite desk.

Skipped, with the reason, only where Chromium or Playwright is missing; CI installs both.
Every test leaves a screenshot in ``artifacts/browser/`` (``$DESKCORE_ARTIFACTS/browser/``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("DESKCORE_ARTIFACTS", "artifacts")) / "browser"
PASSWORD = "browser-pass-1"
AGENT = "agente@desk.test"
ADMIN = "admin@desk.test"

try:
    import playwright  # noqa: F401

    MISSING = (
        None if Path(CHROMIUM).exists() else f"{CHROMIUM} is missing: apt-get install chromium"
    )
except ImportError:
    MISSING = "playwright is not installed (pip install -r requirements-dev.txt)"


def pytest_collection_modifyitems(config, items):
    if MISSING is None:
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.skip(reason=f"browser tests need Chromium: {MISSING}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def desk(tmp_path_factory):
    """A migrated desk with an agent, an admin, a known caller and the dummy plugin, served by
    a werkzeug server thread. Yields ``(base_url, app)``."""
    from werkzeug.serving import make_server

    from deskcore import create_app
    from deskcore.extensions import db
    from deskcore.migrate import upgrade_all
    from deskcore.services.customers import create_customer
    from deskcore.services.plugin_admin import enable_plugin
    from deskcore.services.setup import seed_defaults
    from deskcore.services.users import create_user

    instance = tmp_path_factory.mktemp("browser-desk")
    app = create_app(
        {
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'deskcore.sqlite'}",
            "DESKCORE_INSTANCE_PATH": str(instance),
            "DESKCORE_PLUGIN_MODULES": ["deskcore_dummy.plugin"],
            "DESKCORE_LOAD_ENTRYPOINTS": False,
        }
    )
    upgrade_all(app)
    with app.app_context():
        seed_defaults("en")
        for email, role, name in ((AGENT, "agent", "Ana Agente"), (ADMIN, "admin", "Adela")):
            create_user({"name": name, "email": email, "password": PASSWORD, "role": role})
        create_customer({"name": "Juana Rojas", "phones": [{"number": "+56 9 8765 4321"}]})
        enable_plugin("dummy")
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(desk):
    return desk[0]


@pytest.fixture(autouse=True)
def screenshot(request, page):
    """Keep what the page looked like at the end of every test."""
    yield
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = request.node.name.replace("/", "_")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, email: str = AGENT, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")


@pytest.fixture
def agent_page(page):
    log_in(page)
    return page


@pytest.fixture
def nojs_page(browser, base_url, page):
    """An agent's page with JavaScript off, at the new-ticket form for Juana; the screenshot
    fixture then shows it in place of the (unused) default page."""
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    nojs = context.new_page()
    try:
        log_in(nojs)
        nojs.goto("/tickets/new?customer_q=juana")
        nojs.click("text=Choose")
        yield nojs
        page.set_content(nojs.content())
    finally:
        context.close()
