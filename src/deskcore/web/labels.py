"""Translated names of the fixed values the core stores as codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CHANNELS = {"phone": _l("Phone"), "email": _l("Email"), "web": _l("Web"), "visit": _l("Visit")}
COVERAGE = {
    "warranty": _l("Warranty"),
    "contract": _l("Contract"),
    "courtesy": _l("Courtesy"),
    "billable": _l("Billable"),
}
CATEGORIES = {
    "open": _l("Open"),
    "waiting": _l("Waiting"),
    "resolved": _l("Resolved"),
    "closed": _l("Closed"),
}
ROLES = {"agent": _l("Agent"), "supervisor": _l("Supervisor"), "admin": _l("Admin")}
VISIBILITY = {"internal": _l("Internal note"), "public": _l("Visible to the customer")}
CUSTOMER_KINDS = {"customer": _l("Customer"), "consultant": _l("Consultant")}
LANGUAGE_NAMES = {"es": "Español", "en": "English"}
VIEWS = {
    "mine": _l("Mine"),
    "unassigned": _l("Unassigned"),
    "waiting": _l("Waiting"),
    "overdue_commitments": _l("Overdue commitments"),
}
SORTS = {
    "-number": _l("Newest number first"),
    "number": _l("Oldest number first"),
    "-received_at": _l("Most recently received"),
    "received_at": _l("First received"),
}
HISTORY_ACTIONS = {
    "opened": _l("opened the ticket"),
    "updated": _l("changed"),
    "status": _l("changed the status"),
    "closed": _l("closed the ticket"),
    "reopened": _l("reopened the ticket"),
    "reassigned": _l("reassigned"),
    "linked": _l("linked a related ticket"),
    "coverage": _l("changed the coverage"),
    "commitment": _l("added a commitment"),
    "commitment_rescheduled": _l("rescheduled a commitment"),
    "commitment_done": _l("completed a commitment"),
}
#: History actions whose wording already names the field they change: the timeline leaves the
#: field out ("changed the status: Open → Waiting", not "changed the status status: …").
ACTIONS_NAMING_THEIR_FIELD = frozenset(
    {"opened", "status", "closed", "reopened", "linked", "coverage"}
)
#: Ticket fields as history names them.
FIELDS = {
    "status": _l("status"),
    "queue": _l("queue"),
    "assignee": _l("assignee"),
    "resolution": _l("resolution"),
    "coverage": _l("coverage"),
    "related": _l("related ticket"),
    "subject": _l("subject"),
    "symptom": _l("symptom"),
    "diagnosis": _l("diagnosis"),
    "customer_id": _l("customer"),
    "consultant_id": _l("consultant"),
    "type_id": _l("type"),
    "priority_id": _l("priority"),
    "topic_id": _l("topic"),
    "channel": _l("channel"),
    "serial_number": _l("serial number"),
    "order_ref": _l("order"),
    "payment_ref": _l("payment"),
    "dispatch_ref": _l("dispatch"),
    "estimated_close_on": _l("estimated close date"),
    "received_at": _l("received"),
}
