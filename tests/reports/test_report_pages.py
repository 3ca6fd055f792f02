"""The reports pages, downloads and dashboard: who may open them, what they show, and that
the CSV and XLSX hold the same numbers as the page."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from deskcore_dummy.models import DummyNote
from openpyxl import load_workbook
from sqlalchemy import func, select

from deskcore.extensions import db
from deskcore.models import Ticket, utcnow
from deskcore.reports import params, registry

pytestmark = pytest.mark.plugins("dummy")


class TableCells(HTMLParser):
    """The text of every cell of the report table, row by row (header row first)."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_table = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "report-table" in (dict(attrs).get("class") or ""):
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_table(html: str) -> list[list[str]]:
    parser = TableCells()
    parser.feed(html)
    return parser.rows


def as_number(text: str):
    """A number as the English page shows it ("1,234.5", "#900001"), or None."""
    cleaned = text.replace(",", "").lstrip("#")
    try:
        return float(cleaned)
    except ValueError:
        return None


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


CORE = [r.name for r in registry.CORE_REPORTS]


def _query(desk, name: str) -> dict:
    if name == "customer_tickets":
        return {"customer": desk.other_customer.id}
    if name == "commitments_by_type":
        return {"start": desk.first_day.isoformat(), "end": "2100-01-01"}
    return desk.period() if "start" in registry.get(name).report.params else {}


@pytest.mark.parametrize("name", CORE)
def test_csv_holds_the_numbers_of_the_page(desk, login, name):
    client = login(desk.boss)
    query = _query(desk, name)
    page = client.get(f"/reports/{name}", query_string=query)
    assert page.status_code == 200
    shown = page_table(page.get_data(as_text=True))
    download = client.get(f"/reports/{name}/export.csv", query_string=query)
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    exported = csv_rows(download.data)
    assert exported[0] == shown[0]  # same headings
    body = [row for row in shown[1:] if len(row) == len(exported[0])]
    assert len(body) == len(exported) - 1 > 0
    for on_page, in_csv in zip(body, exported[1:], strict=True):
        for text, raw in zip(on_page, in_csv, strict=True):
            if as_number(raw) is not None and as_number(text) is not None:
                assert as_number(text) == pytest.approx(float(raw)), (name, text, raw)


def test_xlsx_reads_back_with_the_csv_values(desk, login):
    client = login(desk.boss)
    query = desk.period()
    book = client.get("/reports/resolution_time_by_type/export.xlsx", query_string=query)
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.data)).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    exported = csv_rows(
        client.get("/reports/resolution_time_by_type/export.csv", query_string=query).data
    )
    assert cells[0] == exported[0]
    assert [[float(v) for v in row[1:]] for row in cells[1:]] == [
        [float(v) for v in row[1:]] for row in exported[1:]
    ]


def test_csv_dates_are_iso_and_numbers_use_a_dot(desk, login):
    data = login(desk.boss).get("/reports/closed_tickets/export.csv", query_string=desk.period())
    header, first, *_ = csv_rows(data.data)
    row = dict(zip(header, first, strict=True))
    closed = desk.base + timedelta(hours=31)  # ticket 3, the latest closed
    assert row["Closed"] == closed.strftime("%Y-%m-%d %H:%M")
    assert row["Days open"] == "1.29"


def test_report_page_draws_the_chart_above_the_table(desk, login):
    html = login(desk.boss).get("/reports/tickets_by_status").get_data(as_text=True)
    assert "<svg" in html and html.index("<svg") < html.index("report-table")


def test_bad_parameters_show_a_form_message_not_an_error_page(desk, login):
    page = login(desk.boss).get("/reports/closed_tickets?start=yesterday&end=2020-01-01")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "Not a valid date." in html and 'aria-invalid="true"' in html


def test_end_before_start_is_refused(desk, login):
    page = login(desk.boss).get("/reports/closed_tickets?start=2026-02-01&end=2026-01-01")
    assert page.status_code == 400
    assert "The end date is before the start date." in page.get_data(as_text=True)


def test_an_unknown_agent_is_refused_by_name(desk, login):
    page = login(desk.boss).get("/reports/pending_tickets?agent=99999")
    assert page.status_code == 400
    assert "No such record: 99999." in page.get_data(as_text=True)


def test_a_missing_required_parameter_asks_for_it(desk, login):
    page = login(desk.boss).get("/reports/customer_tickets")
    assert page.status_code == 400
    assert "This parameter is required." in page.get_data(as_text=True)


def test_a_bad_download_answers_the_form_with_its_message(desk, login):
    answer = login(desk.boss).get("/reports/pending_tickets/export.csv?limit=0")
    assert answer.status_code == 400
    assert "text/html" in answer.content_type
    assert "greater than or equal to 1" in answer.get_data(as_text=True)
    plugin = login(desk.boss).get("/reports/dummy_notes/export.xlsx?limit=many")
    assert plugin.status_code == 400 and "Not a valid integer." in plugin.get_data(as_text=True)


@pytest.fixture
def late_evening_utc(monkeypatch):
    """23:30 UTC on 1 March 2025, whatever the server's own clock and time zone say."""
    monkeypatch.setattr(params, "utcnow", lambda: datetime(2025, 3, 1, 23, 30, tzinfo=UTC))


def test_the_default_period_and_the_download_name_follow_the_utc_date(
    desk, login, late_evening_utc
):
    values = registry.run(registry.get("closed_tickets").report, {}).values
    assert (values["start"], values["end"]) == (date(2025, 1, 30), date(2025, 3, 1))
    download = login(desk.boss).get("/reports/closed_tickets/export.csv")
    assert 'filename="closed_tickets-2025-03-01.csv"' in download.headers["Content-Disposition"]


def test_unknown_report_and_format_are_404(desk, login):
    client = login(desk.boss)
    assert client.get("/reports/nope").status_code == 404
    assert client.get("/reports/pending_tickets/export.pdf").status_code == 404


@pytest.mark.parametrize("path", ["/reports/", "/reports/tickets_by_status", "/dashboard/"])
def test_agents_may_not_open_reports(desk, login, path):
    assert login(desk.ana).get(path).status_code == 403


def test_anonymous_visitors_log_in_first(client):
    answer = client.get("/reports/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_menu_lists_core_and_plugin_reports(desk, login):
    html = login(desk.boss).get("/reports/").get_data(as_text=True)
    assert "/reports/totals_by_agent" in html
    assert "/reports/dummy_notes" in html  # contributed by the dummy plugin


def test_a_plugin_report_with_short_form_parameters_runs_and_exports(desk, login):
    client = login(desk.boss)
    assert client.get("/reports/dummy_notes?limit=5").status_code == 200
    assert client.get("/reports/dummy_notes?limit=many").status_code == 400
    assert client.get("/reports/dummy_notes/export.csv").status_code == 200


def _received_and_resolved_now(desk):
    """A ticket received and resolved this instant, beside the desk's older ones."""
    model = desk.tickets[2]
    moment = utcnow()
    db.session.add(
        Ticket(
            number=900_100,
            customer_id=model.customer_id,
            subject="Solved on the phone",
            type_id=model.type_id,
            priority_id=model.priority_id,
            status_id=model.status_id,  # resolved
            entered_by_id=desk.boss.id,
            received_at=moment,
            resolved_at=moment,
        )
    )
    db.session.commit()


def test_dashboard_tiles_and_charts(desk, login):
    _received_and_resolved_now(desk)
    html = login(desk.boss).get("/dashboard/").get_data(as_text=True)
    found = re.findall(r'tile-value">([^<]*)</span>\s*<span class="tile-label">([^<]*)<', html)
    tiles = {label: value for value, label in found}
    # Tickets 5 and 7 pending, 6 on hold; ticket 5's call back was due eight days ago; the
    # desk's own tickets were received and resolved ten days ago, before this week.
    assert tiles["Open now"] == "2"
    assert tiles["Waiting"] == "1"
    assert tiles["Overdue commitments"] == "1"
    assert tiles["Received today"] == "1"
    assert tiles["Resolved this week"] == "1"
    notes = db.session.scalar(select(func.count(DummyNote.id)))
    assert tiles["Dummy notes"] == str(notes)  # the dummy plugin's tile
    assert html.count("<svg") >= 2


def test_navigation_shows_reports_to_supervisors_only(desk, login, client):
    assert 'href="/reports/"' in login(desk.boss).get("/dashboard/").get_data(as_text=True)
    assert 'href="/reports/"' not in login(desk.ana).get("/customers/").get_data(as_text=True)


@pytest.fixture
def failing_dummy_hooks():
    import deskcore_dummy.plugin as dummy

    yield dummy.RAISE
    dummy.RAISE.clear()


def test_a_failing_plugin_leaves_the_dashboard_and_reports_standing(
    desk, login, failing_dummy_hooks
):
    failing_dummy_hooks["dashboard_tiles"] = RuntimeError("tile bug")
    failing_dummy_hooks["register_reports"] = RuntimeError("report bug")
    client = login(desk.boss)
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    html = dashboard.get_data(as_text=True)
    assert "Open now" in html and "Dummy notes" not in html
    menu = client.get("/reports/").get_data(as_text=True)
    assert "/reports/tickets_by_status" in menu and "/reports/dummy_notes" not in menu
