"""The consultant field of the ticket forms and list: typed text resolved on the server, and
the suggestions offered while typing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from deskcore.extensions import db
from deskcore.models import Ticket

from .test_tickets import ticket_numbers

pytestmark = pytest.mark.plugins("dummy")


@pytest.fixture
def consultant(make_customer):
    def make(name: str, **fields):
        return make_customer(name=name, kind="consultant", **fields)

    return make


def field_value(html: str) -> str:
    return re.search(r'<input id="f-consultant"[^>]*value="([^"]*)"', html).group(1)


def chosen_id(html: str) -> str | None:
    found = re.search(r'<input type="hidden" name="consultant_id" value="([^"]*)"', html)
    return found.group(1) if found else None


def open_form(as_agent, customer, consultant_text: str, **extra):
    data = {"customer_id": str(customer.id), "subject": "No enciende", **extra}
    return as_agent.post("/tickets/new", data={**data, "consultant": consultant_text})


def new_ticket() -> Ticket | None:
    return db.session.scalar(select(Ticket))


# -- new ticket --------------------------------------------------------------------------


def test_a_name_matching_one_consultant_is_used(as_agent, make_customer, consultant):
    chosen = consultant("José Muñoz Rivas")
    consultant("Marta Rivas")
    response = open_form(as_agent, make_customer(), "jose riv")
    assert response.status_code == 302
    assert new_ticket().consultant_id == chosen.id


def test_the_national_id_or_phone_finds_the_consultant(as_agent, make_customer, consultant):
    chosen = consultant("Pedro Soto", national_id="12.345.678-5")
    other = consultant("Luisa Soto", phones=[{"number": "+56 2 2345 6789"}])
    assert open_form(as_agent, make_customer(), "12345678-5").status_code == 302
    assert new_ticket().consultant_id == chosen.id
    assert open_form(as_agent, make_customer(), "22345 6789").status_code == 302
    assert db.session.scalars(select(Ticket.consultant_id).order_by(Ticket.id)).all() == [
        chosen.id,
        other.id,
    ]


def test_no_match_is_a_form_message_and_keeps_what_was_typed(as_agent, make_customer, consultant):
    consultant("Pedro Soto")
    make_customer(name="Zoila Cliente")  # an ordinary customer is never a consultant
    response = open_form(as_agent, make_customer(), "Zoila", symptom="Se apaga")
    assert response.status_code == 400
    assert 'id="consultant-error">No consultant matches “Zoila”.' in response.text
    assert field_value(response.text) == "Zoila" and ">Se apaga</textarea>" in response.text
    assert new_ticket() is None


def test_several_matches_ask_for_more_and_name_a_few(as_agent, make_customer, consultant):
    for n in range(7):
        consultant(f"Rojas {n}")
    response = open_form(as_agent, make_customer(), "rojas")
    assert response.status_code == 400
    message = re.search(r'id="consultant-error">([^<]*)<', response.text).group(1)
    assert message.startswith("Several consultants match “rojas” (Rojas 0, Rojas 1, ")
    assert "Rojas 4, …): type more of the name, or the national ID." in message
    assert new_ticket() is None


def test_the_whole_name_wins_over_longer_names_starting_alike(as_agent, make_customer, consultant):
    exact = consultant("Ana Pérez")
    consultant("Ana Pérez Soto")
    assert open_form(as_agent, make_customer(), "ana perez").status_code == 302
    assert new_ticket().consultant_id == exact.id


def test_an_empty_field_means_no_consultant(as_agent, make_customer, consultant):
    consultant("Pedro Soto")
    assert open_form(as_agent, make_customer(), "  ").status_code == 302
    assert new_ticket().consultant_id is None


def test_a_re_shown_form_keeps_the_resolved_consultant(as_agent, make_customer, consultant):
    chosen = consultant("Pedro Soto")
    response = open_form(as_agent, make_customer(), "pedro", subject="")
    assert response.status_code == 400
    assert field_value(response.text) == "Pedro Soto"
    assert chosen_id(response.text) == str(chosen.id)


def test_two_consultants_of_the_same_name_stay_apart_by_the_chosen_id(
    as_agent, make_customer, consultant
):
    consultant("Pedro Soto")
    second = consultant("Pedro Soto")
    customer = make_customer()
    assert open_form(as_agent, customer, "Pedro Soto").status_code == 400
    response = open_form(as_agent, customer, "Pedro Soto", consultant_id=str(second.id))
    assert response.status_code == 302
    assert new_ticket().consultant_id == second.id


def test_a_stale_chosen_id_gives_way_to_the_text(as_agent, make_customer, consultant):
    old, new = consultant("Pedro Soto"), consultant("Marta Rivas")
    response = open_form(as_agent, make_customer(), "marta", consultant_id=str(old.id))
    assert response.status_code == 302
    assert new_ticket().consultant_id == new.id


def test_a_customer_sent_by_id_is_refused_next_to_the_field(as_agent, make_customer):
    customer = make_customer()
    response = as_agent.post(
        "/tickets/new",
        data={"customer_id": str(customer.id), "subject": "x", "consultant_id": str(customer.id)},
    )
    assert response.status_code == 400
    assert re.search(r'id="consultant-error">Customer \d+ is not a consultant', response.text)


# -- edit --------------------------------------------------------------------------------


def test_the_edit_form_shows_and_keeps_the_current_consultant(as_agent, make_ticket, consultant):
    current = consultant("Pedro Soto")
    consultant("Pedro Soto")  # same name: the unchanged field must not become ambiguous
    ticket = make_ticket(consultant_id=current.id)
    form = as_agent.get(f"/tickets/{ticket.number}/edit").text
    assert field_value(form) == "Pedro Soto" and chosen_id(form) == str(current.id)
    response = as_agent.post(
        f"/tickets/{ticket.number}/edit",
        data={"subject": "Otra cosa", "consultant": "Pedro Soto", "consultant_id": str(current.id)},
    )
    assert response.status_code == 302
    db.session.refresh(ticket)
    assert (ticket.subject, ticket.consultant_id) == ("Otra cosa", current.id)


def test_the_edit_form_changes_or_removes_the_consultant(as_agent, make_ticket, consultant):
    current, other = consultant("Pedro Soto"), consultant("Marta Rivas")
    ticket = make_ticket(consultant_id=current.id)
    url = f"/tickets/{ticket.number}/edit"
    unknown = as_agent.post(url, data={"subject": "x", "consultant": "Nadie"})
    assert unknown.status_code == 400 and "No consultant matches “Nadie”." in unknown.text
    db.session.refresh(ticket)
    assert (ticket.subject, ticket.consultant_id) == ("No enciende", current.id)
    as_agent.post(
        url, data={"subject": "x", "consultant": "marta", "consultant_id": str(current.id)}
    )
    db.session.refresh(ticket)
    assert ticket.consultant_id == other.id
    as_agent.post(url, data={"subject": "x", "consultant": "", "consultant_id": str(other.id)})
    db.session.refresh(ticket)
    assert ticket.consultant_id is None


# -- list filter -------------------------------------------------------------------------


@pytest.fixture
def two_tickets(make_ticket, consultant):
    pedro, marta = consultant("Pedro Soto"), consultant("Marta Rivas")
    return make_ticket(consultant_id=pedro.id), make_ticket(consultant_id=marta.id), pedro


def test_the_list_filters_by_a_typed_consultant(as_agent, two_tickets):
    pedro_ticket, _, pedro = two_tickets
    page = as_agent.get("/tickets/?consultant=pedro").text
    assert ticket_numbers(page) == [pedro_ticket.number]
    assert field_value(page) == "Pedro Soto" and chosen_id(page) == str(pedro.id)


def test_the_list_still_takes_consultant_id_from_links(as_agent, two_tickets, make_ticket):
    pedro_ticket, _, pedro = two_tickets
    for _n in range(3):
        make_ticket(consultant_id=pedro.id)
    page = as_agent.get(f"/tickets/?consultant_id={pedro.id}&limit=2").text
    assert ticket_numbers(page)[0] > pedro_ticket.number and field_value(page) == "Pedro Soto"
    next_url = re.search(r'rel="next" href="([^"]+)"', page).group(1)
    assert f"consultant_id={pedro.id}" in next_url


def test_an_empty_list_field_means_any_consultant(as_agent, two_tickets):
    pedro = two_tickets[2]
    page = as_agent.get(f"/tickets/?consultant=&consultant_id={pedro.id}").text
    assert len(ticket_numbers(page)) == 2 and field_value(page) == ""


def test_the_list_says_when_the_consultant_is_unknown_or_ambiguous(
    as_agent, two_tickets, consultant
):
    consultant("Pedro Ruiz")
    none = as_agent.get("/tickets/?consultant=%3Cscript%3E")
    assert none.status_code == 400
    assert "No consultant matches “&lt;script&gt;”." in none.text
    assert "<script>" not in none.text.split("<main", 1)[1]
    several = as_agent.get("/tickets/?consultant=pedro")
    assert several.status_code == 400
    assert "Several consultants match “pedro” (Pedro Ruiz, Pedro Soto)" in several.text


# -- suggestions -------------------------------------------------------------------------


def options(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" data-id="\d+"', html)


def test_suggestions_offer_consultants_only_and_at_most_ten(as_agent, consultant, make_customer):
    for n in range(12):
        consultant(f"Ríos {n:02d}")
    make_customer(name="Ríos Cliente")
    html = as_agent.get("/customers/consultants?q=rios").text
    assert options(html) == [f"Ríos {n:02d}" for n in range(10)]
    assert "Cliente" not in html and "<html" not in html


def test_suggestions_are_escaped_and_need_two_characters(as_agent, consultant):
    consultant('<script>alert("x")</script> Soto', national_id="11.111.111-1")
    html = as_agent.get("/customers/consultants?q=soto").text
    assert "<script>" not in html
    assert options(html) == ["&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Soto"]
    assert 'label="11.111.111-1"' in html
    assert options(as_agent.get("/customers/consultants?q=s").text) == []


def test_suggestions_need_a_login(client, consultant):
    consultant("Pedro Soto")
    response = client.get("/customers/consultants?q=pedro")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
