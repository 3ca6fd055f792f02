"""The ticket list's text filter: text anywhere in the subject, words of the customer's name,
through an index on SQLite (FTS5 trigram table) and PostgreSQL (pg_trgm GIN index)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import delete, select

from deskcore.extensions import db
from deskcore.migrate import alembic_config, upgrade
from deskcore.models import Ticket
from deskcore.models.tickets import SUBJECT_FTS, SUBJECT_TRGM_INDEX
from deskcore.services import open_ticket, ticket_search, update_ticket
from deskcore.services.customers import create_customer
from deskcore.services.setup import seed_defaults
from deskcore.services.ticket_search import _text_match, parse_filters, search_tickets
from deskcore.services.users import create_user


def numbers(q: str, **args) -> list[int]:
    return [t.number for t in search_tickets(parse_filters({"q": q, **args})).tickets]


@pytest.fixture(params=["rare", "common"])
def either_plan(request, monkeypatch):
    """Run a test with SQLite reading the matches first ("rare") and reading the list in order
    and keeping the matches ("common", as when a text matches thousands of tickets)."""
    if request.param == "common":
        monkeypatch.setattr(ticket_search, "COMMON_MATCHES", 1)
    return request.param


def test_a_word_in_the_middle_of_a_subject_finds_the_ticket(make_ticket, either_plan):
    make_ticket(subject="El refrigerador gotea por abajo")
    make_ticket(subject="No enciende")
    assert numbers("gotea") == [1]
    assert numbers("dor got") == [1]


def test_case_is_ignored_also_in_accented_letters(make_ticket, either_plan):
    make_ticket(subject="No enfría el congelador")
    make_ticket(subject="Pantalla rota")
    assert numbers("NO ENFRÍA") == [1]
    assert numbers("pantalla ROTA") == [2]


def test_accents_still_count_in_the_subject(make_ticket):
    make_ticket(subject="No enfría")
    assert numbers("enfria") == []


def test_words_of_the_customer_name_find_their_tickets(make_ticket, make_customer, either_plan):
    rosa = make_customer(name="Rosa Núñez Pérez")
    make_ticket(customer_id=rosa.id, subject="Cambio de filtro")
    make_ticket(customer_id=make_customer(name="Rosario Soto").id)
    assert numbers("nunez") == [1]
    assert numbers("Pérez Ros") == [1]
    assert numbers("ros") == [2, 1]


def test_text_nothing_contains_finds_nothing(make_ticket, either_plan):
    make_ticket(subject="No enciende")
    assert numbers("zzzz-nothing") == []
    assert numbers("enciende la luz") == []


def test_short_text_is_still_found_in_subjects(make_ticket):
    make_ticket(subject="Error E4 en el display")
    make_ticket(subject="No enciende")
    assert numbers("e4") == [1]


def test_quotes_and_operators_are_plain_text(make_ticket, either_plan):
    make_ticket(subject='Dice "error" AND NOT apaga*')
    assert numbers('"error" AND') == [1]
    assert numbers("apaga*") == [1]
    assert numbers("NOT OR") == []


def test_pages_of_a_text_search_cover_every_match_once_in_order(make_ticket, either_plan):
    for n in range(1, 10):
        make_ticket(subject="Pantalla con rayas" if n % 3 else "No enciende")
    for sort in ("-number", "number", "received_at"):
        seen, cursor = [], None
        while True:
            args = {"limit": "2", "sort": sort, **({"cursor": cursor} if cursor else {})}
            page = search_tickets(parse_filters({"q": "con raya", **args}))
            seen += [t.number for t in page.tickets]
            if (cursor := page.next_cursor) is None:
                break
        expected = [n for n in range(1, 10) if n % 3]
        assert seen == (expected[::-1] if sort == "-number" else expected)


def test_an_edited_subject_is_found_by_its_new_words_not_its_old(make_ticket, agent, either_plan):
    ticket = make_ticket(subject="No enciende")
    update_ticket(ticket.number, {"subject": "Puerta descuadrada"}, agent)
    assert numbers("descuadr") == [ticket.number]
    assert numbers("enciende") == []


def test_a_deleted_ticket_is_no_longer_found(make_ticket, either_plan):
    kept, deleted = make_ticket(subject="Ruido al centrifugar"), make_ticket(subject="Ruido raro")
    db.session.execute(delete(Ticket).where(Ticket.id == deleted.id))
    db.session.commit()
    assert numbers("ruido") == [kept.number]


def plan(stmt) -> str:
    """The database's query plan for ``stmt``; PostgreSQL avoids table scans where it can."""
    compiled = stmt.compile(db.engine)
    params = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    connection = db.session.connection()
    if db.engine.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)
        return "\n".join(row[3] for row in rows)
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    return "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled}", params))


def test_the_subject_search_reads_the_trigram_index(make_ticket):
    make_ticket(subject="Pantalla rota")
    used = plan(select(Ticket.id).where(_text_match("pantalla")))
    db.session.rollback()
    index = SUBJECT_FTS if db.engine.dialect.name == "sqlite" else SUBJECT_TRGM_INDEX
    assert index in used


def search_objects() -> set[str]:
    """The names of the subject index's objects in the database."""
    if db.engine.dialect.name == "sqlite":
        sql = f"SELECT name FROM sqlite_master WHERE name LIKE '{SUBJECT_FTS}%'"
    else:
        sql = f"SELECT indexname FROM pg_indexes WHERE indexname = '{SUBJECT_TRGM_INDEX}'"
    with db.engine.connect() as connection:
        return set(connection.exec_driver_sql(sql).scalars())


def test_migration_indexes_the_subjects_already_there_and_downgrades(empty_app):
    app = empty_app
    before = "0008_partial_ticket_indexes"
    upgrade(app, revision=before)
    with app.app_context():
        seed_defaults("en")
        agent = create_user(
            {"name": "Ana", "email": "ana@desk.test", "password": "password123", "role": "agent"}
        )
        customer = create_customer({"name": "Rosa Soto", "phones": []})
        open_ticket({"customer_id": customer.id, "subject": "Lavadora no centrifuga"}, agent)
        db.session.remove()
    upgrade(app)
    with app.app_context():
        assert search_objects()
        assert numbers("centrifug") == [1]
        db.session.remove()  # its transaction would hold the lock the downgrade takes
        command.downgrade(alembic_config(app), before)
        assert search_objects() == set()
        db.engine.dispose()
