"""Benchmark desks: built once per size and database with the demo bulk loader, then reused.

A SQLite desk lives in ``benchmarks/.data/sqlite-<tickets>/`` (database file, secret key and
knowledge-base index together, as an instance folder); a PostgreSQL desk is a database of its
own on the server given (``deskcore_bench_<tickets>``) with its instance folder in
``benchmarks/.data/<host>-<port>-deskcore_bench_<tickets>/``. A ``built.json`` file in the
instance folder marks a finished build, so a build cut off halfway is started over.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text, update
from sqlalchemy.engine import Connection, make_url

from deskcore.config import driver_url

DEFAULT_DATA = Path(__file__).resolve().parent / ".data"
#: Another folder for the cached desks (the smoke test uses a temporary one).
DATA_ENV = "DESKCORE_BENCH_DATA"
MARKER = "built.json"
TIMINGS = "timings.json"
BENCH_EMAIL = "bench@desk.test"
BENCH_PASSWORD = "bench-pass-1"
#: One customer for every this many tickets, as on the demo desk.
TICKETS_PER_CUSTOMER = 5
SEED = 3


@dataclass(frozen=True)
class Desk:
    """A built benchmark desk: where it lives and what it holds."""

    tickets: int
    customers: int
    articles: int
    database_url: str
    instance: Path
    build_seconds: float

    @property
    def kind(self) -> str:
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"


class Progress:
    """A one-line progress bar on stderr: ``progress(n)`` adds n rows done."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.started = self._last = time.monotonic()

    def __call__(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= 0.5 or self.done >= self.total:
            self._last = now
            share = min(self.done / self.total, 1.0)
            bar = "#" * int(share * 30)
            rate = self.done / max(now - self.started, 1e-9)
            sys.stderr.write(
                f"\r{self.label:<28} [{bar:<30}] {share:6.1%} {self.done:>10,} rows {rate:>9,.0f}/s"
            )
            sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()


def data_folder() -> Path:
    return Path(os.environ.get(DATA_ENV) or DEFAULT_DATA).resolve()


def postgres_name(tickets: int) -> str:
    """``deskcore_bench_<tickets>``; another data folder gets its own names, so a test run
    never touches the databases of a real benchmark on the same server."""
    data = data_folder()
    if data == DEFAULT_DATA.resolve():
        return f"deskcore_bench_{tickets}"
    tag = hashlib.sha1(str(data).encode()).hexdigest()[:8]
    return f"deskcore_bench_{tag}_{tickets}"


def locate(tickets: int, server_url: str | None) -> tuple[str, Path]:
    """The database URL and instance folder of the desk with ``tickets`` tickets."""
    if server_url is None:
        instance = data_folder() / f"sqlite-{tickets}"
        return f"sqlite:///{instance / 'desk.sqlite'}", instance
    url = make_url(driver_url(server_url)).set(database=postgres_name(tickets))
    instance = data_folder() / f"{url.host or 'local'}-{url.port or 5432}-{url.database}"
    return url.render_as_string(hide_password=False), instance


def check_server(server_url: str) -> None:
    """Connect once before any work, so a wrong URL fails at once, not after SQLite."""
    with postgres_admin(driver_url(server_url)):
        pass


@contextmanager
def postgres_admin(url: str) -> Iterator[Connection]:
    """An autocommit connection to the server's ``postgres`` database, for CREATE and DROP
    DATABASE (which cannot run inside a transaction)."""
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            yield conn
    finally:
        admin.dispose()


def _fresh_postgres_database(url: str, create: bool = True) -> None:
    """Drop (and create again) the benchmark's own database, never one it did not name."""
    target = make_url(url)
    if not target.database.startswith("deskcore_bench_"):
        raise ValueError(f"not a benchmark database: {target.database}")
    with postgres_admin(url) as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))


def clean(server_url: str | None) -> list[str]:
    """Remove the cached desks of the data folder: its PostgreSQL databases on the server
    given (those named by ``postgres_name``, and their working copies), then its folders."""
    removed = []
    if server_url is not None:
        pattern = re.compile(postgres_name(0).removesuffix("0") + r"\d+(_run)?$")
        with postgres_admin(driver_url(server_url)) as conn:
            names = conn.scalars(text("SELECT datname FROM pg_database")).all()
            for name in filter(pattern.match, names):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                removed.append(name)
    # Only the folders this module makes: others keep caches of their own here too.
    for pattern in ("sqlite-*", "*-deskcore_bench_*", "kb-index-*"):
        for folder in sorted(data_folder().glob(pattern)):
            shutil.rmtree(folder)
            removed.append(str(folder))
    return removed


def make_app(database_url: str, instance: Path):
    from deskcore import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "DESKCORE_INSTANCE_PATH": str(instance),
            "SECRET_KEY": "benchmark",
            "DESKCORE_LOAD_ENTRYPOINTS": True,
        }
    )


def ensure_desk(
    tickets: int, articles: int, server_url: str | None = None, rebuild: bool = False
) -> Desk:
    """The cached desk of this size, built first when missing (or when ``rebuild``)."""
    database_url, instance = locate(tickets, server_url)
    marker = instance / MARKER
    if marker.exists() and not rebuild:
        desk = Desk(**{**json.loads(marker.read_text()), "instance": instance})
        if desk.articles == articles:
            _upgrade(desk)
            return desk
        return _with_articles(desk, articles)
    if instance.exists():
        shutil.rmtree(instance)
    instance.mkdir(parents=True)
    if server_url is not None:
        _fresh_postgres_database(database_url)
    started = time.perf_counter()
    customers = max(1, tickets // TICKETS_PER_CUSTOMER)
    _build(make_app(database_url, instance), customers, tickets)
    desk = Desk(
        tickets, customers, 0, database_url, instance, round(time.perf_counter() - started, 1)
    )
    _save(desk)
    return _with_articles(desk, articles) if articles else desk


def _save(desk: Desk) -> None:
    values = {k: v for k, v in asdict(desk).items() if k != "instance"}
    (desk.instance / MARKER).write_text(json.dumps(values, indent=2))


def _upgrade(desk: Desk) -> None:
    """Apply migrations added since the desk was built (new indexes, for instance)."""
    from deskcore.migrate import upgrade_all

    app = make_app(desk.database_url, desk.instance)
    upgrade_all(app)
    dispose(app)


def dispose(app) -> None:
    from deskcore.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _build(app, customers: int, tickets: int) -> None:
    """Migrate, enable every first-party plugin (their tables), fill, then disable them."""
    from deskcore.demo import enable_first_party_plugins, fill_demo
    from deskcore.extensions import db
    from deskcore.migrate import upgrade_all
    from deskcore.services.plugin_admin import disable_plugin
    from deskcore.services.setup import seed_defaults
    from deskcore.services.users import create_user

    upgrade_all(app)
    with app.app_context():
        seed_defaults("es")
        create_user({"name": "Bench", "email": BENCH_EMAIL, "password": BENCH_PASSWORD})
        enabled = enable_first_party_plugins()
        progress = Progress(f"{tickets:,} tickets", customers + tickets)
        fill_demo(customers=customers, tickets=tickets, seed=SEED, progress=progress)
        progress.close()
        for name in reversed(enabled):
            disable_plugin(name)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
    dispose(app)


# -- knowledge-base articles ------------------------------------------------------------------


def _with_articles(desk: Desk, articles: int) -> Desk:
    """Replace the desk's articles with ``articles`` synthetic ones and rebuild the index.

    Rows go in with bulk INSERTs taking numbers of the plugin's own sequence; the index is
    built by the plugin's reindex path (``deskcore kb reindex``), whose time is reported,
    once per number of articles: the other desks get a copy.
    """
    from deskcore_knowledge_base import indexing
    from deskcore_knowledge_base.articles import SEQUENCE
    from deskcore_knowledge_base.index import article_index
    from deskcore_knowledge_base.models import KbArticle, KbArticleVersion, KbTopic

    from deskcore.extensions import db
    from deskcore.migrate import upgrade_all
    from deskcore.models import Sequence, User
    from deskcore.services.numbering import ensure_sequence
    from deskcore.services.plugin_admin import disable_plugin, enable_plugin
    from deskcore.services.unit_of_work import unit_of_work

    from . import kb_search

    app = make_app(desk.database_url, desk.instance)
    upgrade_all(app)
    with app.app_context():
        enable_plugin("knowledge_base")
        author = db.session.scalar(select(User.id).where(User.email == BENCH_EMAIL))
        progress = Progress(f"{articles:,} articles", articles)
        with unit_of_work():
            db.session.execute(KbArticleVersion.__table__.delete())
            db.session.execute(KbArticle.__table__.delete())
            topic_ids = list(db.session.scalars(select(KbTopic.id).order_by(KbTopic.id)))
            for n in range(1, 31 - len(topic_ids)):
                topic = KbTopic(name=f"Tema {len(topic_ids) + n}", position=n)
                db.session.add(topic)
                db.session.flush()
                topic_ids.append(topic.id)
            ensure_sequence(SEQUENCE)
            rows = []
            for document in kb_search.documents(articles):
                rows.append(
                    {
                        "number": document.number,
                        "title": document.title[:200],
                        "keywords": document.keywords,
                        "body": document.text,
                        "topic_id": topic_ids[(document.topic_id - 1) % len(topic_ids)],
                        "audience": document.audience,
                        "status": document.status,
                        "author_id": author,
                    }
                )
                if len(rows) == 2000:
                    db.session.execute(insert(KbArticle), rows)
                    progress(len(rows))
                    rows = []
            if rows:
                db.session.execute(insert(KbArticle), rows)
                progress(len(rows))
            db.session.execute(
                update(Sequence).where(Sequence.name == SEQUENCE).values(last_value=articles)
            )
        progress.close()
        shared = data_folder() / f"kb-index-{articles}"
        if (shared / TIMINGS).exists():
            _install_index(shared, desk.instance)
        else:
            started = time.perf_counter()
            progress = Progress("knowledge-base index", articles)
            indexed = article_index().rebuild(_counted(indexing.all_documents(), progress))
            progress.close()
            if indexed != articles:
                raise RuntimeError(f"indexed {indexed} articles of {articles}")
            seconds = round(time.perf_counter() - started, 1)
            _keep_index(desk.instance, shared, {"articles": articles, "index_seconds": seconds})
        disable_plugin("knowledge_base")
    dispose(app)
    desk = replace(desk, articles=articles)
    _save(desk)
    return desk


def _keep_index(instance: Path, shared: Path, timings: dict) -> None:
    """Keep the freshly built index for the other desks: their articles are the same rows
    (same generator, seed, numbers and topics), so the index is too."""
    from deskcore_knowledge_base.index import INDEX_NAME

    generation = instance / os.readlink(instance / INDEX_NAME)
    partial = shared.with_name(shared.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(generation, partial / "index")
    (partial / TIMINGS).write_text(json.dumps(timings))
    shutil.rmtree(shared, ignore_errors=True)
    partial.rename(shared)


def _install_index(shared: Path, instance: Path) -> None:
    """Put a copy of the kept index in the instance folder, where the plugin looks for it
    (``knowledge_base_index``, a symlink to a generation folder beside it)."""
    from deskcore_knowledge_base.index import INDEX_NAME

    link = instance / INDEX_NAME
    if link.is_symlink():
        shutil.rmtree(instance / os.readlink(link), ignore_errors=True)
        link.unlink()
    generation = f"{INDEX_NAME}.benchmark"
    shutil.rmtree(instance / generation, ignore_errors=True)
    shutil.copytree(shared / "index", instance / generation)
    link.symlink_to(generation)


def _counted(documents, progress: Callable[[int], None]):
    for document in documents:
        progress(1)
        yield document


def article_build_seconds(desk: Desk) -> float | None:
    """How long the plugin took to index the desk's articles (built once per count)."""
    path = data_folder() / f"kb-index-{desk.articles}" / TIMINGS
    return json.loads(path.read_text())["index_seconds"] if path.exists() else None


def sample_values(desk: Desk) -> dict:
    """Real values the measured requests use: a customer, a phone, a busy status, a ticket."""
    from deskcore.extensions import db
    from deskcore.models import Customer, Phone, Status, Ticket, User

    app = make_app(desk.database_url, desk.instance)
    rng = random.Random(SEED)
    with app.app_context():
        last = db.session.scalar(select(func.max(Ticket.number))) or 0
        numbers = sorted({rng.randint(1, last) for _ in range(50)}) if last else []
        customer_ids = db.session.scalars(
            select(Ticket.customer_id).where(Ticket.number.in_(numbers))
        ).all()
        phones = db.session.execute(
            select(Phone.customer_id, Phone.number).where(Phone.customer_id.in_(customer_ids))
        ).all()
        # Phones typed as people type them: the last eight digits, no country code.
        typed = sorted({"".join(c for c in p.number if c.isdigit())[-8:] for p in phones})
        first_customer = db.session.scalar(select(Customer.id).order_by(Customer.id).limit(1))
        values = {
            "ticket_numbers": numbers,
            "ticket_ids": db.session.scalars(
                select(Ticket.id).where(Ticket.number.in_(numbers))
            ).all(),
            "customer_ids": sorted(set(customer_ids)) or [first_customer],
            "phones": typed,
            "pending_status_id": db.session.scalar(
                select(Status.id).where(Status.code == "pending")
            ),
            "user_id": db.session.scalar(select(User.id).where(User.email == BENCH_EMAIL)),
        }
    dispose(app)
    return values
