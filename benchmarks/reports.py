"""Time every core report against an existing desk database: median and p95 in ms.

```sh
.venv/bin/python benchmarks/reports.py --database /tmp/reports1m/desk.db   # a SQLite file
DESKCORE_DATABASE_URL=postgresql://… .venv/bin/python benchmarks/reports.py
```

Each report runs with its default parameters (the last 30 or 90 days, every agent) through
the report registry, exactly as the page and the exports run it, ``--repeat`` times after one
warm-up run. The desk is migrated first (the report indexes come with migration 0005).
Target: every core report under 1 s at 1,000,000 tickets on SQLite.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from sqlalchemy import func, select

from deskcore import create_app
from deskcore.extensions import db
from deskcore.migrate import upgrade_all
from deskcore.models import Ticket
from deskcore.reports import registry

TARGET_MS = 1000


def _given(name: str) -> dict:
    """Default parameters, except a real customer for the one report that needs one: the
    owner of the newest ticket (an index lookup, not timed)."""
    if name != "customer_tickets":
        return {}
    newest = db.session.scalar(select(Ticket.customer_id).order_by(Ticket.id.desc()).limit(1))
    return {"customer": newest}


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_reports(repeats: int) -> list[dict]:
    """Run each core report ``repeats`` times (after a warm-up); call inside an app context.

    Returns one dict per report: name, unit "ms", median, p95, rows.
    """
    results = []
    for report in registry.CORE_REPORTS:
        given = _given(report.name)
        registry.run(report, given)  # warm-up: plans cached, pages in memory
        samples = []
        rows = 0
        for _ in range(repeats):
            started = time.perf_counter()
            rows = len(registry.run(report, given).rows)
            samples.append((time.perf_counter() - started) * 1000)
            db.session.rollback()
        results.append(
            {
                "name": f"report {report.name}",
                "unit": "ms",
                "median": round(statistics.median(samples), 1),
                "p95": round(_p95(samples), 1),
                "rows": rows,
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="a SQLite desk (else DESKCORE_DATABASE_URL)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    config = {"SECRET_KEY": "benchmark", "DESKCORE_LOAD_ENTRYPOINTS": False}
    if args.database:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{args.database.resolve()}"
        config["DESKCORE_INSTANCE_PATH"] = str(args.database.resolve().parent)
    app = create_app(config)
    upgrade_all(app)
    with app.app_context():
        tickets = db.session.scalar(select(func.max(Ticket.id))) or 0
        results = time_reports(args.repeat)
    dialect = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    print(f"\nabout {tickets:,} tickets, {dialect}, {args.repeat} runs each (ms)")
    print(f"{'report':42} {'median':>8} {'p95':>8} {'rows':>6}  < {TARGET_MS} ms")
    for r in results:
        ok = "yes" if r["p95"] < TARGET_MS else "NO"
        print(f"{r['name']:42} {r['median']:8.1f} {r['p95']:8.1f} {r['rows']:6}  {ok}")


if __name__ == "__main__":
    main()
