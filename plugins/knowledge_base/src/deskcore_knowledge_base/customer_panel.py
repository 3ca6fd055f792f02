"""The knowledge-base panel on the customer page: a quick search that answers in place.

The panel's form submits to the customer page itself (``kb_q``), so results show inside the
panel without JavaScript. Before any search it lists articles related to the customer's
open tickets (their subjects and symptoms). Customer-facing articles always come first: the
agent is dealing with this customer.
"""

from __future__ import annotations

from dataclasses import dataclass

from deskcore.models import Customer, User
from deskcore.services.ticket_search import search_tickets

from .index import Hit
from .search import MAX_QUERY_CHARS, search_articles

#: Articles the panel shows, and open tickets whose words look for related ones.
PANEL_HITS = 5
RELATED_TICKETS = 5
#: Words of those tickets searched for, and the shortest word worth searching.
RELATED_WORDS = 12
MIN_WORD_CHARS = 3
QUERY_ARG = "kb_q"


@dataclass
class PanelResults:
    query: str  # what the agent typed; "" before any search (related articles shown)
    hits: list[Hit]
    total: int  # every audience
    suggestion: str | None = None


def panel_results(customer: Customer, typed: str | None, user: User) -> PanelResults:
    """What the agent searched for (logged, like the search page), or else the articles
    related to the customer's open tickets (not logged: nobody typed them)."""
    query = (typed or "").strip()[:MAX_QUERY_CHARS]
    if query:
        return _customer_facing_first(query, query, user=user, source="desk")
    return _customer_facing_first("", related_text(customer))


def related_text(customer: Customer) -> str:
    """Distinct words of the subjects and symptoms of the customer's most recent open
    tickets; a few, because each word adds terms to every search of the panel."""
    page = search_tickets({"customer_id": customer.id, "view": "open", "limit": RELATED_TICKETS})
    words: dict[str, None] = {}
    for ticket in page.tickets:
        for word in f"{ticket.subject} {ticket.symptom or ''}".split():
            if len(word) >= MIN_WORD_CHARS:
                words.setdefault(word.lower(), None)
    return " ".join(list(words)[:RELATED_WORDS])


def _customer_facing_first(
    query: str, text: str, *, user: User | None = None, source: str | None = None
) -> PanelResults:
    if not text:
        return PanelResults(query=query, hits=[], total=0)
    customer = search_articles(text, per_page=PANEL_HITS, audience="customer")
    if not query and len(customer.hits) == PANEL_HITS:
        return PanelResults(query="", hits=customer.hits, total=customer.total)
    # A typed search also needs the total and the correction over every audience.
    everyone = search_articles(text, per_page=PANEL_HITS, user=user, source=source)
    shown = {hit.number for hit in customer.hits}
    internal = [hit for hit in everyone.hits if hit.number not in shown]
    return PanelResults(
        query=query,
        hits=(customer.hits + internal)[:PANEL_HITS],
        total=everyone.total,
        suggestion=everyone.suggestion if query else None,
    )
