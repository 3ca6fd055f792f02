"""Report results as CSV, XLSX and a plain-text table. Spreadsheets get raw values — numbers
with a dot, dates in ISO — so the numbers a supervisor sums are the ones on the page."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .params import today
from .registry import Result

#: Excel reads a UTF-8 CSV without mangling accents only when it starts with this mark.
BOM = "\ufeff"
FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Sheet cell formats per column kind.
XLSX_FORMATS = {
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "hours": "0.00",
    "number": "0.00",
}


def headers(result: Result) -> list[str]:
    return [str(column.label or column.key) for column in result.columns]


def plain(value) -> str:
    """A value as text for CSV and the terminal: ISO dates, dot decimals, 1/0 flags."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def to_csv(result: Result) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers(result))
    for row in result.rows:
        writer.writerow([plain(row[column.key]) for column in result.columns])
    return (BOM + out.getvalue()).encode("utf-8")


def to_xlsx(result: Result) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = result.report.name[:31]
    titles = headers(result)
    sheet.append(titles)
    for row in result.rows:
        sheet.append([_cell(row[column.key]) for column in result.columns])
    for index, (column, title) in enumerate(zip(result.columns, titles, strict=True), start=1):
        number_format = XLSX_FORMATS.get(column.kind)
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(50, len(title) + 2))
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    """Spreadsheets hold no time zones: UTC instants go in as naive UTC."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def export(result: Result, fmt: str) -> bytes:
    return to_csv(result) if fmt == "csv" else to_xlsx(result)


def filename(result: Result, fmt: str) -> str:
    return f"{result.report.name}-{today().isoformat()}.{fmt}"


def to_table(result: Result) -> tuple[list[str], list[list[str]]]:
    """Headers and text cells for the terminal."""
    return headers(result), [[plain(row[c.key]) for c in result.columns] for row in result.rows]
