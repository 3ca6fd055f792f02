"""Translated names of the codes the plugin stores (claim kinds and statuses)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KINDS = {
    "trade_in": _l("Trade-in"),
    "defect_return": _l("Return for defect or malfunction"),
    "misuse_damage": _l("Damage by misuse or accident"),
    "exchange": _l("Exchange for another reason"),
}
STATUSES = {
    "open": _l("Open"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "completed": _l("Completed"),
}
#: Badge tone of each status.
STATUS_TONES = {"open": "info", "approved": "ok", "rejected": "danger", "completed": "ok"}
#: What the button that moves a claim to each status says.
ACTIONS = {
    "approved": _l("Approve"),
    "rejected": _l("Reject"),
    "completed": _l("Mark completed"),
}
