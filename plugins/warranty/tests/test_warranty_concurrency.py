"""Warranty claim numbers stay consecutive under concurrent creation: many threads, each with
its own app context (its own session and connection), open claims at the same moment."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from deskcore_warranty.models import Claim, Order
from deskcore_warranty.services import create_claim
from sqlalchemy import select

from deskcore.extensions import db
from deskcore.models import Sequence, User
from deskcore.testing import TEST_DATABASE_ENV

THREADS = 8
CLAIMS_PER_THREAD = 6
BARRIER_TIMEOUT_SECONDS = 60


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get(TEST_DATABASE_ENV), reason=f"needs PostgreSQL: set {TEST_DATABASE_ENV}"
)
@pytest.mark.plugins("warranty")
def test_warranty_claim_numbers_stay_consecutive_under_concurrent_creation(app, agent, make_ticket):
    ticket = make_ticket(serial_number="SN-CONCURRENT")
    ticket_number, agent_id = ticket.number, agent.id
    db.session.commit()  # end this test's transaction: the threads must see the ticket
    barrier = threading.Barrier(THREADS)

    def one_thread(index: int) -> list[int]:
        with app.app_context():
            user = db.session.get(User, agent_id)
            barrier.wait(BARRIER_TIMEOUT_SECONDS)
            data = {"ticket_number": ticket_number, "kind": "exchange", "reason": f"t{index}"}
            numbers = [create_claim(data, user).number for _ in range(CLAIMS_PER_THREAD)]
            db.session.remove()
            return numbers

    with ThreadPoolExecutor(THREADS) as pool:
        handed_out = sorted(n for numbers in pool.map(one_thread, range(THREADS)) for n in numbers)

    expected = list(range(1, THREADS * CLAIMS_PER_THREAD + 1))
    assert handed_out == expected
    assert db.session.scalars(select(Claim.number).order_by(Claim.number)).all() == expected
    assert db.session.scalars(select(Order.number).order_by(Order.number)).all() == expected
    assert db.session.get(Sequence, "warranty_claims").last_value == len(expected)
