"""How fast the agent's busiest pages render on a big desk (issue 3's acceptance check).

Builds (once, then reuses) a SQLite desk with a million tickets through the demo-data bulk
loader, then renders the tickets list, a filtered list, quick views, the caller lookup and a
customer page through the real app, logged in as an agent, and prints median and p95 times.

    .venv/bin/python benchmarks/web_pages.py                 # 1,000,000 tickets
    .venv/bin/python benchmarks/web_pages.py --tickets 100000 --database /tmp/desk.sqlite

The target is under 150 ms per page; the last column says whether each page meets it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from deskcore import create_app
from deskcore.demo import fill_demo
from deskcore.extensions import db
from deskcore.migrate import upgrade_all
from deskcore.models import Customer, Phone, Status, Ticket, User
from deskcore.services.setup import seed_defaults
from deskcore.services.users import create_user

TARGET_MS = 150
DEFAULT_DATABASE = Path(__file__).parent / ".data" / "web-pages-{tickets}.sqlite"


def build(app, tickets: int, customers: int) -> None:
    """Migrate, seed and fill the desk unless it already holds the tickets asked for."""
    upgrade_all(app)
    with app.app_context():
        seed_defaults("es")
        have = db.session.scalar(select(func.count(Ticket.id)))
        if have < tickets:
            started = time.perf_counter()
            fill_demo(customers=customers, tickets=tickets - have, seed=3)
            print(f"built {tickets:,} tickets in {time.perf_counter() - started:.0f} s")
        if db.session.scalar(select(User.id).where(User.email == "bench@desk.test")) is None:
            create_user({"name": "Bench", "email": "bench@desk.test", "password": "bench-pass-1"})
        db.session.remove()


def pages(app) -> dict[str, str]:
    """The URLs measured, with real values picked from the data."""
    with app.app_context():
        pending = db.session.scalar(select(Status.id).where(Status.code == "pending"))
        customer = db.session.scalar(select(Customer).order_by(Customer.id.desc()).limit(1))
        busiest = db.session.scalar(
            select(Ticket.customer_id)
            .group_by(Ticket.customer_id)
            .order_by(func.count(Ticket.id).desc())
            .limit(1)
        )
        phone = db.session.scalar(select(Phone.number).where(Phone.customer_id == customer.id))
        # The phone typed differently: digits only, no country code.
        typed = "".join(c for c in phone if c.isdigit())[-8:]
        word = customer.name.split()[0]
        db.session.remove()
    return {
        "tickets list": "/tickets/",
        "filtered list (status)": f"/tickets/?status_id={pending}",
        "filtered list (status + date range)": (
            f"/tickets/?status_id={pending}&received_from=2020-01-01&received_to=2030-12-31"
        ),
        "quick view: unassigned": "/tickets/?view=unassigned",
        "customer lookup by phone": f"/customers/?q={typed}",
        "customer lookup by name": f"/customers/?q={word}",
        "customer page (busiest customer)": f"/customers/{busiest}",
    }


def measure(app, urls: dict[str, str], repeat: int) -> list[tuple[str, float, float]]:
    client = app.test_client()
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "bench@desk.test"))
        db.session.remove()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
    results = []
    for label, url in urls.items():
        times = []
        for _ in range(repeat + 2):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
            times.append(elapsed)
        times = sorted(times[2:])  # the first two warm caches
        p95 = times[min(len(times) - 1, round(len(times) * 0.95) - 1)]
        results.append((label, statistics.median(times), p95))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=None, help="default: tickets / 5")
    parser.add_argument("--database", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    database = args.database or Path(str(DEFAULT_DATABASE).format(tickets=args.tickets))
    database.parent.mkdir(parents=True, exist_ok=True)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "DESKCORE_INSTANCE_PATH": str(database.parent),
            "SECRET_KEY": "benchmark",
            "DESKCORE_LOAD_ENTRYPOINTS": False,
        }
    )
    build(app, args.tickets, args.customers or max(1, args.tickets // 5))
    results = measure(app, pages(app), args.repeat)
    print(f"\n{args.tickets:,} tickets, SQLite, {args.repeat} renders each (ms)")
    print(f"{'page':38} {'median':>8} {'p95':>8}  < {TARGET_MS} ms")
    for label, median, p95 in results:
        print(f"{label:38} {median:8.1f} {p95:8.1f}  {'yes' if p95 < TARGET_MS else 'NO'}")


if __name__ == "__main__":
    main()
