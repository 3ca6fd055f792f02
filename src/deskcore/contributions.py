"""What plugins hand back to the UI, coverage and registration hooks.

Plain dataclasses so a plugin builds them without importing Flask or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class CoverageProposal:
    """A plugin's answer to "how is this ticket covered?".

    ``kind`` is one of warranty, contract, courtesy or billable (``deskcore.models.Coverage``);
    ``reason`` is shown to agents: a lazy translatable message with named parameters, e.g.
    ``lazy_gettext("warranty until %(day)s", day="2027-03-01")``, which core stores rendered
    in the desk's language (``BABEL_DEFAULT_LOCALE``). A plain string is stored as it is.
    """

    kind: str
    reason: str


@dataclass(frozen=True)
class Panel:
    """A box on the ticket or customer page. ``html`` is trusted markup the plugin rendered."""

    title: str
    html: Markup | str
    order: int = 100


@dataclass(frozen=True)
class Badge:
    """A short label next to a customer in search results, e.g. "contract: 12 h left"."""

    customer_id: int
    label: str
    tone: str = "info"  # info | ok | warn | danger


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str
    order: int = 100


@dataclass(frozen=True)
class Action:
    """A button on the ticket page; ``method`` POST actions get a CSRF-protected form."""

    label: str
    url: str
    method: str = "GET"


@dataclass(frozen=True)
class FormField:
    """An extra field on the new-ticket form; the value reaches ``ticket_opened`` in ``extra``."""

    name: str
    label: str
    type: str = "text"  # text | textarea | number | date | select | checkbox
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    help: str = ""


@dataclass(frozen=True)
class Param:
    """A declared report parameter; the registry builds the form, validation and API from it.

    ``kind`` is one of date, int, agent, queue, type, status, customer, choice (``choices``
    lists ``(value, label)``) or text. Blank values take ``default``; ``required`` refuses
    them. ``low``/``high`` bound an int.
    """

    kind: str
    label: str = ""
    default: Any = None
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Column:
    """A report column: the row key, its heading and how to show and export its values.

    ``kind`` is text, int, number (decimals), hours, bool, date, datetime or ticket (a
    ticket number linked to its page).
    """

    key: str
    label: str = ""
    kind: str = "text"


@dataclass(frozen=True)
class Report:
    """A report core or a plugin contributes; the report registry renders, exports and serves it.

    ``params`` maps each parameter name to a ``Param`` or, the short form, to its default
    value (the kind is then guessed: int, date for names like start/end, else text).
    ``columns`` lists ``Column``s in order (guessed from the first row when empty);
    ``chart`` is an optional ``deskcore.reports.charts.Chart`` drawn above the table.
    """

    name: str
    title: str
    run: Any  # callable(**params) -> list[dict]
    description: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    columns: tuple[Column, ...] = ()
    chart: Any = None


@dataclass(frozen=True)
class Tile:
    """A number on the supervisors' dashboard, e.g. "Claims awaiting approval: 4"."""

    label: str
    value: Any
    url: str = ""
    tone: str = "info"  # info | ok | warn | danger
    order: int = 100


@dataclass(frozen=True)
class Suggestion:
    """A hint beside the new-ticket form, e.g. a knowledge-base article that may solve it."""

    title: str
    url: str = ""
    summary: str = ""


@dataclass(frozen=True)
class HistoryLabel:
    """How the ticket timeline words a history action a plugin records, e.g.
    ``HistoryLabel("kb_article_linked", _l("linked a knowledge-base article"), True)``.

    ``names_field``: the label already says what changed, so the timeline leaves out the
    field recorded with the action (as it does for core's "changed the status").
    """

    action: str
    label: str
    names_field: bool = False
