"""Core models. Plugin models live in their plugins, in tables prefixed with the plugin name."""

from ..extensions import db
from ._types import utcnow
from .api import ApiToken, IdempotencyKey
from .classifications import (
    CommitmentType,
    Priority,
    Status,
    StatusCategory,
    TicketType,
    Topic,
    status_transitions,
)
from .customers import Customer, CustomerKind, CustomerNameToken, Phone
from .system import PluginState, Sequence
from .tickets import (
    Channel,
    Comment,
    Commitment,
    CommitmentDueChange,
    Coverage,
    HistoryEvent,
    Ticket,
    TimeEntry,
    Visibility,
    ticket_links,
)
from .users import Queue, Role, User, queue_members

# Core owns exactly the tables defined above; Alembic's core environment compares only these.
CORE_TABLES = frozenset(db.metadata.tables)

__all__ = [
    "CORE_TABLES",
    "ApiToken",
    "Channel",
    "Comment",
    "Commitment",
    "CommitmentDueChange",
    "CommitmentType",
    "Coverage",
    "Customer",
    "CustomerKind",
    "CustomerNameToken",
    "HistoryEvent",
    "IdempotencyKey",
    "Phone",
    "PluginState",
    "Priority",
    "Queue",
    "Role",
    "Sequence",
    "Status",
    "StatusCategory",
    "Ticket",
    "TicketType",
    "TimeEntry",
    "Topic",
    "User",
    "Visibility",
    "queue_members",
    "status_transitions",
    "ticket_links",
    "utcnow",
]
