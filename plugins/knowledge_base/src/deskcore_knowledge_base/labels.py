"""Translated names of the codes the plugin stores (audiences and statuses)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIENCES = {"internal": _l("Internal"), "customer": _l("Customer-facing")}
STATUSES = {"draft": _l("Draft"), "published": _l("Published")}
