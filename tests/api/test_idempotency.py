"""``Idempotency-Key``: a retried POST returns the first answer and creates nothing new."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from deskcore.extensions import db
from deskcore.models import Comment, Customer, IdempotencyKey, Ticket
from deskcore.services import idempotency, open_ticket
from deskcore.services.idempotency import fingerprint, run_once


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_retrying_a_ticket_post_returns_the_first_result_and_opens_nothing(api, make_customer):
    body = {"customer_id": make_customer().id, "subject": "No enciende"}
    key = {"Idempotency-Key": "5f0c9a2e-retry-1"}
    first = api.post("/tickets", json=body, headers=key)
    retry = api.post("/tickets", json=body, headers=key)
    assert first.status_code == retry.status_code == 201
    assert retry.json == first.json
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert count(Ticket) == 1


def test_the_same_key_with_another_body_is_refused(api, make_customer):
    customer = make_customer()
    key = {"Idempotency-Key": "k-1"}
    api.post("/tickets", json={"customer_id": customer.id, "subject": "A"}, headers=key)
    other = api.post("/tickets", json={"customer_id": customer.id, "subject": "B"}, headers=key)
    assert other.status_code == 422 and other.is_json
    assert count(Ticket) == 1


def test_keys_belong_to_their_user(api_as, agent, supervisor, make_customer):
    body = {"customer_id": make_customer().id, "subject": "A"}
    key = {"Idempotency-Key": "shared"}
    assert api_as(agent).post("/tickets", json=body, headers=key).json["number"] == 1
    assert api_as(supervisor).post("/tickets", json=body, headers=key).json["number"] == 2


def test_failed_requests_are_not_remembered(api, make_customer):
    key = {"Idempotency-Key": "fix-and-retry"}
    assert api.post("/tickets", json={"subject": "A"}, headers=key).status_code == 400
    fixed = {"customer_id": make_customer().id, "subject": "A"}
    assert api.post("/tickets", json=fixed, headers=key).status_code == 201


@pytest.mark.parametrize(
    ("path", "body", "model"),
    [
        ("/customers", {"name": "Rosa Pinto"}, Customer),
        ("/tickets/1/comments", {"body": "Hola"}, Comment),
    ],
)
def test_customers_and_comments_are_idempotent_too(api, make_ticket, path, body, model):
    make_ticket()
    before = count(model)
    answers = [api.post(path, json=body, headers={"Idempotency-Key": "once"}) for _ in range(3)]
    assert {a.status_code for a in answers} == {201}
    assert answers[0].json == answers[2].json
    assert count(model) == before + 1


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "naïve"])
def test_malformed_keys_are_400(api, make_customer, key):
    body = {"customer_id": make_customer().id, "subject": "A"}
    response = api.post("/tickets", json=body, headers={"Idempotency-Key": key})
    assert response.status_code == 400 and "Idempotency-Key" in response.json["errors"]
    assert count(Ticket) == 0


def test_concurrent_retries_open_one_ticket(app, agent, make_customer):
    """Two workers get the same key at once: one opens the ticket, the other replays it."""
    customer_id = make_customer().id
    agent_id = agent.id
    body = {"customer_id": customer_id, "subject": "A la vez"}
    print_ = fingerprint("POST", "/api/v1/tickets", body)
    start = threading.Barrier(2)
    answers: list = []

    def retry() -> None:
        with app.app_context():
            user = db.session.get(type(agent), agent_id)

            def create():
                ticket = open_ticket(body, user)
                time.sleep(0.3)  # the twin looks the key up meanwhile and finds nothing
                return 201, {"number": ticket.number}

            start.wait()
            answers.append(run_once(user, "same-key", print_, create))
            db.session.remove()

    threads = [threading.Thread(target=retry) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(replayed for _, _, replayed in answers) == [False, True]
    assert [body for _, body, _ in answers] == [{"number": 1}, {"number": 1}]
    db.session.rollback()
    assert count(Ticket) == 1


def age_keys(hours: float) -> None:
    """Make every stored key ``hours`` older."""
    for stored in db.session.scalars(select(IdempotencyKey)):
        stored.created_at -= timedelta(hours=hours)
    db.session.commit()


def test_an_expired_key_is_a_new_key(api, make_customer):
    customer = make_customer()
    key = {"Idempotency-Key": "yesterday"}
    first = api.post("/tickets", json={"customer_id": customer.id, "subject": "A"}, headers=key)
    age_keys(25)
    again = api.post("/tickets", json={"customer_id": customer.id, "subject": "B"}, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in again.headers
    assert (first.json["number"], again.json["number"]) == (1, 2)
    retry = api.post("/tickets", json={"customer_id": customer.id, "subject": "B"}, headers=key)
    assert retry.headers["Idempotent-Replayed"] == "true" and retry.json["number"] == 2


def test_the_lifetime_of_keys_is_configurable(app, api, make_customer):
    app.config["DESKCORE_IDEMPOTENCY_KEY_HOURS"] = 1
    body = {"customer_id": make_customer().id, "subject": "A"}
    key = {"Idempotency-Key": "short-lived"}
    api.post("/tickets", json=body, headers=key)
    age_keys(0.5)
    assert api.post("/tickets", json=body, headers=key).headers["Idempotent-Replayed"] == "true"
    age_keys(1)
    assert "Idempotent-Replayed" not in api.post("/tickets", json=body, headers=key).headers
    assert count(Ticket) == 2


def test_expired_keys_are_pruned_oldest_first_in_bounded_batches(
    app, api, make_customer, monkeypatch
):
    body = {"customer_id": make_customer().id, "subject": "A"}
    for n in range(3):
        api.post("/tickets", json=body, headers={"Idempotency-Key": f"old-{n}"})
        age_keys(30)  # old-0 is the oldest
    app.extensions.pop("deskcore_idempotency", None)  # as if this worker had not pruned yet
    monkeypatch.setattr(idempotency, "PRUNE_BATCH", 2)
    api.post("/tickets", json=body, headers={"Idempotency-Key": "new-1"})
    keys = set(db.session.scalars(select(IdempotencyKey.key)))
    assert keys == {"old-2", "new-1"}
    # Not again within the minute: the next request leaves the last expired key alone.
    api.post("/tickets", json=body, headers={"Idempotency-Key": "new-2"})
    assert "old-2" in set(db.session.scalars(select(IdempotencyKey.key)))
