"""Translated names of the codes the plugin stores (audiences, statuses, history actions)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIENCES = {"internal": _l("Internal"), "customer": _l("Customer-facing")}
STATUSES = {"draft": _l("Draft"), "published": _l("Published")}
#: The history actions of ``usage.py``, as the ticket timeline words them (the article is
#: the recorded value, so the field name "article" is left out).
HISTORY_ACTIONS = {
    "kb_article_linked": _l("linked the knowledge-base article"),
    "kb_article_sent": _l("sent the customer the knowledge-base article"),
    "kb_article_email_failed": _l("could not email the customer the knowledge-base article"),
}
