"""Domain operations: one function per unit of work, shared by the UI, the API, the CLI and
plugins."""

from .commitments import add_commitment, complete_commitment, reschedule_commitment
from .coverage import override_coverage, restore_automatic_coverage
from .customers import create_customer, find_customers, get_customer, update_customer
from .numbering import next_number
from .tickets import (
    add_comment,
    change_status,
    close_ticket,
    link_ticket,
    log_time,
    open_ticket,
    reassign_ticket,
    reopen_ticket,
    update_ticket,
)
from .tickets_base import load_ticket
from .unit_of_work import after_commit, unit_of_work

__all__ = [
    "add_comment",
    "add_commitment",
    "after_commit",
    "change_status",
    "close_ticket",
    "complete_commitment",
    "create_customer",
    "find_customers",
    "get_customer",
    "link_ticket",
    "load_ticket",
    "log_time",
    "next_number",
    "open_ticket",
    "override_coverage",
    "reassign_ticket",
    "reopen_ticket",
    "reschedule_commitment",
    "restore_automatic_coverage",
    "unit_of_work",
    "update_customer",
    "update_ticket",
]
