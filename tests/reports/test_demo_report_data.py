"""The demo data feeds every report: commitments (some moved) and tickets put on hold on
their way to being resolved."""

from __future__ import annotations

from sqlalchemy import func, select

from deskcore.demo import fill_demo
from deskcore.extensions import db
from deskcore.models import Commitment, CommitmentDueChange
from deskcore.reports import registry


def run(name: str, **given) -> list[dict]:
    return registry.run(registry.get(name).report, given).rows


def test_demo_data_gives_the_commitment_and_waiting_reports_rows(app):
    fill_demo(customers=50, tickets=600, seed=7)
    commitments = db.session.scalar(select(func.count(Commitment.id)))
    assert 90 < commitments < 210  # a quarter of the tickets
    change = db.session.scalars(select(CommitmentDueChange)).first()
    assert change.new_due_at == db.session.get(Commitment, change.commitment_id).due_at
    assert change.old_due_at < change.new_due_at
    wide = {"start": "2000-01-01", "end": "2100-01-01"}
    assert sum(r["pending"] + r["done"] for r in run("commitments_by_type", **wide)) == commitments
    assert run("commitment_date_changes", **wide)
    finished_on_hold = [r for r in run("waiting_by_ticket", **wide) if not r["still_waiting"]]
    assert finished_on_hold and all(r["waiting_hours"] > 0 for r in finished_on_hold)
