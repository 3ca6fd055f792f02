"""Service-level timings: the domain operations called directly, without HTTP.

Each operation runs ``repeats`` times (after two warm-up calls) inside the app, with the
session emptied between calls so every call starts as a request would.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

#: Shown when the reports engineer's module is not there yet.
NO_REPORTS = "reports benchmark not available (benchmarks/reports.py has no time_reports)"


def _timed(call: Callable[[], object], repeats: int, after: Callable[[], None]) -> list[float]:
    times = []
    for i in range(repeats + 2):
        started = time.perf_counter()
        call()
        elapsed = (time.perf_counter() - started) * 1000
        after()
        if i >= 2:
            times.append(elapsed)
    return times


def time_services(app, values: dict, repeats: int) -> dict[str, list[float]]:
    """Milliseconds per call of each operation, by figure name."""
    from deskcore.extensions import db
    from deskcore.models import Status, User
    from deskcore.services import tickets as ticket_service
    from deskcore.services.customers import find_customers
    from deskcore.services.ticket_search import parse_filters, search_tickets

    found: dict[str, list[float]] = {}
    with app.test_request_context():
        agent_id = values["user_id"]
        customers = itertools.cycle(values["customer_ids"])
        phones = itertools.cycle(values["phones"])
        opened: list[int] = []
        on_hold = db.session.scalar(db.select(Status.id).where(Status.code == "on_hold"))

        def agent() -> User:
            return db.session.get(User, agent_id)

        def open_one() -> None:
            ticket = ticket_service.open_ticket(
                {"customer_id": next(customers), "subject": "No enciende", "channel": "phone"},
                agent(),
            )
            opened.append(ticket.number)

        numbers = iter(opened)
        operations = {
            "service: open ticket": open_one,
            "service: change status": lambda: ticket_service.change_status(
                next(numbers), {"status_id": on_hold}, agent()
            ),
            "service: customer lookup by phone": lambda: find_customers(next(phones)),
            "service: tickets list": lambda: search_tickets(parse_filters({}), agent()),
            "service: tickets list, filtered by status": lambda: search_tickets(
                parse_filters({"status_id": values["pending_status_id"]}), agent()
            ),
        }
        for name, call in operations.items():
            if name == "service: change status":
                numbers = iter(list(opened))
            found[name] = _timed(call, repeats, db.session.remove)
    return found


def time_reports(app, repeats: int) -> tuple[list[dict], str | None]:
    """The reports engineer's timings (name, unit, median, p95), or why there are none."""
    try:
        from .reports import time_reports as report_timer
    except ImportError:
        return [], NO_REPORTS
    with app.app_context():
        return report_timer(repeats), None
