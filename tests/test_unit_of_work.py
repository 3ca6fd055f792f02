"""Units of work: work outside the database runs once, after the commit, whatever fails."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from deskcore.extensions import db
from deskcore.models import Customer
from deskcore.services import create_customer
from deskcore.services.unit_of_work import after_commit, unit_of_work


def test_after_commit_work_runs_only_once_the_transaction_committed(app):
    ran: list[str] = []
    with pytest.raises(RuntimeError), unit_of_work():
        after_commit(lambda: ran.append("rolled back"))
        raise RuntimeError("boom")
    with unit_of_work():
        after_commit(lambda: ran.append("committed"))
        assert ran == []
    assert ran == ["committed"]


def test_a_failing_after_commit_callback_neither_stops_the_others_nor_fails_the_caller(app, caplog):
    ran: list[str] = []

    def broken() -> None:
        raise OSError("search index unreachable")

    with caplog.at_level(logging.ERROR, logger="deskcore.services"), unit_of_work():
        create_customer({"name": "Marta Díaz", "phones": [{"number": "+56 2 2345 6789"}]})
        after_commit(broken)
        after_commit(lambda: ran.append("email sent"))
    assert ran == ["email sent"]
    assert db.session.scalar(select(Customer.name).where(Customer.name == "Marta Díaz"))
    assert "search index unreachable" in caplog.text
