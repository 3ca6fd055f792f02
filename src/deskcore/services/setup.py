"""The classifications a new desk starts with, in Spanish or English. Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from ..config import LANGUAGES
from ..extensions import db
from ..models import CommitmentType, Priority, Status, StatusCategory, TicketType
from .numbering import ensure_sequence
from .unit_of_work import unit_of_work

#: code → category and names; the first open status is the default one.
DEFAULT_STATUSES = {
    "pending": (StatusCategory.OPEN, {"en": "Pending", "es": "Pendiente"}),
    "on_hold": (StatusCategory.WAITING, {"en": "On hold", "es": "En espera"}),
    "resolved": (StatusCategory.RESOLVED, {"en": "Resolved", "es": "Resuelto"}),
    "closed": (StatusCategory.CLOSED, {"en": "Closed", "es": "Cerrado"}),
}
DEFAULT_TRANSITIONS = {
    "pending": ["on_hold", "resolved", "closed"],
    "on_hold": ["pending", "resolved", "closed"],
    "resolved": ["closed", "pending"],
    "closed": ["pending"],
}
DEFAULT_TYPES = [
    {"en": "Complaint", "es": "Reclamo"},
    {"en": "Request", "es": "Solicitud"},
    {"en": "Inquiry", "es": "Consulta"},
    {"en": "Technical service", "es": "Servicio técnico"},
]
DEFAULT_PRIORITIES = [
    {"en": "Low", "es": "Baja"},
    {"en": "Normal", "es": "Normal"},
    {"en": "High", "es": "Alta"},
    {"en": "Urgent", "es": "Urgente"},
]
DEFAULT_COMMITMENT_TYPES = [
    {"en": "Call back", "es": "Devolver llamada"},
    {"en": "Field visit", "es": "Visita a terreno"},
    {"en": "Send information", "es": "Enviar información"},
    {"en": "Deliver part", "es": "Entregar repuesto"},
]


def seed_defaults(language: str = "en") -> bool:
    """Create the default classifications unless statuses exist; True when it created them."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    with unit_of_work():
        if db.session.scalar(select(Status.id).limit(1)) is not None:
            return False
        statuses = {
            code: Status(
                code=code, category=category, name=names[language], position=i, is_default=i == 0
            )
            for i, (code, (category, names)) in enumerate(DEFAULT_STATUSES.items())
        }
        for code, targets in DEFAULT_TRANSITIONS.items():
            statuses[code].next_statuses = [statuses[t] for t in targets]
        db.session.add_all(statuses.values())
        for model, rows, default_index in (
            (TicketType, DEFAULT_TYPES, 0),
            (Priority, DEFAULT_PRIORITIES, 1),
            (CommitmentType, DEFAULT_COMMITMENT_TYPES, None),
        ):
            for i, names in enumerate(rows):
                row = model(name=names[language], position=i)
                if default_index is not None:
                    row.is_default = i == default_index
                db.session.add(row)
        ensure_sequence("tickets")
    return True
