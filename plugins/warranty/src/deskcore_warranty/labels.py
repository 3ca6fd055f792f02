"""Translated names of the codes the plugin stores (claim kinds, statuses, history)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

KINDS = {
    "trade_in": _l("Trade-in"),
    "defect_return": _l("Return for defect or malfunction"),
    "misuse_damage": _l("Damage by misuse or accident"),
    "exchange": _l("Exchange for another reason"),
}
# "claim": a claim is feminine in Spanish (una garantía abierta), a ticket masculine.
STATUSES = {
    "open": lazy_pgettext("claim", "Open"),
    "approved": lazy_pgettext("claim", "Approved"),
    "rejected": lazy_pgettext("claim", "Rejected"),
    "completed": lazy_pgettext("claim", "Completed"),
}
#: Badge tone of each status.
STATUS_TONES = {"open": "info", "approved": "ok", "rejected": "danger", "completed": "ok"}
#: What the button that moves a claim to each status says.
ACTIONS = {
    "approved": _l("Approve"),
    "rejected": _l("Reject"),
    "completed": _l("Mark completed"),
}
#: A status as a word inside a sentence ("cannot go from 'approved' …"); English keeps the code.
STATUS_WORDS = {
    "open": lazy_pgettext("claim", "open"),
    "approved": lazy_pgettext("claim", "approved"),
    "rejected": lazy_pgettext("claim", "rejected"),
    "completed": lazy_pgettext("claim", "completed"),
}
#: The history actions of ``services/claims.py``, as the ticket timeline words them; the
#: claim's label (W-12) is the recorded field.
HISTORY_ACTIONS = {
    "warranty_claim_opened": _l("registered the warranty claim"),
    "warranty": _l("moved the warranty claim"),
}
