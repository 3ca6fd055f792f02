"""Import units sold from a CSV file: every row is checked first, and either all of them are
stored in one transaction or none is, with the problems reported by line number.

Columns (a header line names them, in any order): ``product_code``, ``serial_number``,
``sale_date`` (YYYY-MM-DD), ``sale_price`` (blank: the product's list price), ``order_ref``,
and the buyer as ``customer_id`` or ``national_id``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from deskcore.errors import ValidationError
from deskcore.extensions import db
from deskcore.services.unit_of_work import unit_of_work, validate

from ..models import Unit
from ..schemas import UnitSchema
from .catalog import (
    Buyers,
    already_registered,
    chunks,
    new_unit,
    products_by_code,
    unknown_product,
)

REQUIRED_COLUMNS = frozenset({"product_code", "serial_number", "sale_date"})
BUYER_COLUMNS = frozenset({"customer_id", "national_id"})
KNOWN_COLUMNS = REQUIRED_COLUMNS | BUYER_COLUMNS | {"sale_price", "order_ref"}


@dataclass(frozen=True)
class Row:
    """One data row of the file and the line it is on (the header is line 1)."""

    line: int
    data: dict


class SalesImportError(ValidationError):
    """Some rows are bad; ``problems`` lists ``(line, message)`` and nothing was imported."""

    def __init__(self, problems: list[tuple[int, str]]):
        messages: dict[str, list[str]] = {}
        for line, message in problems:
            messages.setdefault(f"line {line}", []).append(message)
        super().__init__(
            messages, _l("%(count)s bad lines; nothing was imported", count=len(messages))
        )
        self.problems = problems


def read_rows(stream: TextIO) -> list[Row]:
    """The data rows of a CSV file; a header that lacks a needed column is line 1's problem."""
    reader = csv.DictReader(stream)
    columns = {(name or "").strip() for name in reader.fieldnames or ()}
    missing = sorted(REQUIRED_COLUMNS - columns)
    if not columns & BUYER_COLUMNS:
        missing.append("customer_id or national_id")
    if missing:
        raise SalesImportError(
            [(1, _l("missing columns: %(columns)s", columns=", ".join(missing)))]
        )
    unknown = columns - KNOWN_COLUMNS
    if unknown:
        columns = ", ".join(sorted(unknown))
        raise SalesImportError([(1, _l("unknown columns: %(columns)s", columns=columns))])
    # A row's line is where it ends (``line_num`` after reading it): blank lines count.
    return [
        Row(reader.line_num, {(key or "").strip(): value for key, value in record.items()})
        for record in reader
    ]


def import_sales(rows: Iterable[Row]) -> int:
    """Store every row as a unit sold; returns how many. Any bad row: nothing is stored."""
    problems: list[tuple[int, str]] = []
    checked: list[tuple[int, dict]] = []
    for row in rows:
        try:
            checked.append((row.line, validate(UnitSchema, row.data)))
        except ValidationError as exc:
            problems.extend((row.line, message) for message in _messages(exc))
    with unit_of_work():
        batch = [values for _, values in checked]
        products = products_by_code(v["product_code"] for v in batch)
        buyers = Buyers.lookup(batch)
        taken = _registered_serials(v["serial_number"] for v in batch)
        first_seen: dict[str, int] = {}
        units = []
        for line, values in checked:
            serial = values["serial_number"]
            row_problems = []
            product = products.get(values["product_code"])
            if product is None:
                row_problems.append(f"product_code: {unknown_product(values['product_code'])}")
            try:
                customer_id = buyers.find(values)
            except ValidationError as exc:
                row_problems.extend(_messages(exc))
            if serial in taken:
                row_problems.append(f"serial_number: {already_registered(serial)}")
            elif serial in first_seen:
                repeated = _l(
                    "'%(serial)s' repeats line %(line)s", serial=serial, line=first_seen[serial]
                )
                row_problems.append(f"serial_number: {repeated}")
            first_seen.setdefault(serial, line)
            if row_problems:
                problems.extend((line, message) for message in row_problems)
            else:
                units.append(new_unit(values, customer_id, product))
        if problems:
            raise SalesImportError(sorted(problems))
        db.session.add_all(units)
    return len(units)


def _messages(exc: ValidationError) -> Iterator[str]:
    """ "field: problem" for each problem of a validation error."""
    for field, problems in exc.messages.items():
        for problem in problems if isinstance(problems, list) else [problems]:
            yield str(problem) if field == "_schema" else f"{field}: {problem}"


def _registered_serials(serials: Iterable[str]) -> set[str]:
    taken: set[str] = set()
    for chunk in chunks(serials):
        taken.update(
            db.session.scalars(select(Unit.serial_number).where(Unit.serial_number.in_(chunk)))
        )
    return taken
