"""``deskcore warranty import-sales FILE``: all rows or none, problems listed by line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from deskcore_warranty.models import Unit
from sqlalchemy import func, select

from deskcore.cli import main
from deskcore.extensions import db

pytestmark = pytest.mark.plugins("warranty")

HEADER = "product_code,serial_number,sale_date,sale_price,order_ref,customer_id,national_id\n"


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(main, list(args))


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str, name: str = "sales.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def units() -> int:
    return db.session.scalar(select(func.count(Unit.id)))


def test_a_good_file_imports_every_unit(run, csv_file, make_product, make_customer):
    make_product("RX-200", warranty_months=12, list_price="899.90")
    make_product("TV-55", warranty_months=24)
    ana, beto = make_customer(name="Ana"), make_customer(name="Beto", national_id="12.345.678-5")
    path = csv_file(
        HEADER
        + f"RX-200,SN-100,2024-01-15,1000.00,P-1,{ana.id},\n"
        + "RX-200,SN-101,2024-01-31,,P-2,,12345678-5\n"  # no price: the list price
        + f"TV-55, SN-102 ,2024-03-01,1500.50,,{beto.id},\n"
    )

    result = run("warranty", "import-sales", path)

    assert result.exit_code == 0, result.output
    assert "Imported 3 units sold from sales.csv." in result.output
    stored = {u.serial_number: u for u in db.session.scalars(select(Unit))}
    assert sorted(stored) == ["SN-100", "SN-101", "SN-102"]
    assert stored["SN-100"].customer_id == ana.id
    assert stored["SN-100"].warranty_until == date(2025, 1, 15)
    assert stored["SN-101"].customer_id == beto.id
    assert stored["SN-101"].sale_price == Decimal("899.90")
    assert stored["SN-101"].warranty_until == date(2025, 1, 31)
    assert stored["SN-102"].warranty_until == date(2026, 3, 1)
    assert stored["SN-102"].order_ref == ""


def test_a_bad_file_lists_every_problem_by_line_and_imports_nothing(
    run, csv_file, make_product, make_unit, make_customer
):
    make_product("RX-200")
    make_unit("SN-OLD")
    ana = make_customer(name="Ana")
    before = units()
    path = csv_file(
        HEADER
        + f"RX-200,SN-200,2024-01-15,1000.00,P-1,{ana.id},\n"  # line 2: good
        + f"NOPE,SN-201,2024-01-15,1000.00,P-1,{ana.id},\n"  # 3: unknown product
        + f"RX-200,SN-202,15/01/2024,mil,P-1,{ana.id},\n"  # 4: bad date and price
        + "RX-200,SN-203,2024-01-15,1000.00,P-1,99999,\n"  # 5: unknown customer
        + f"RX-200,SN-200,2024-01-15,1000.00,P-1,{ana.id},\n"  # 6: repeats line 2
        + f"RX-200,SN-OLD,2024-01-15,1000.00,P-1,{ana.id},\n"  # 7: already registered
        + "\n"
        + f"RX-200,SN-205,2024-01-15,-5,P-1,{ana.id},\n"  # 9: negative price
        + "RX-200,SN-206,2024-01-15,5,P-1,,0-0\n"  # 10: nobody has that national ID
        + "RX-200,SN-207,2024-01-15,5,P-1,,\n"  # 11: no buyer
        + f"RX-200,,2024-01-15,1.999,P-1,{ana.id},\n"  # 12: no serial, too many decimals
    )

    result = run("warranty", "import-sales", path)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "sales.csv:3: product_code: unknown product 'NOPE'",
        "sales.csv:4: sale_date: Not a valid date.",
        "sales.csv:4: sale_price: Not a valid number.",
        "sales.csv:5: customer_id: unknown customer 99999",
        "sales.csv:6: serial_number: 'SN-200' repeats line 2",
        "sales.csv:7: serial_number: 'SN-OLD' is already registered",
        "sales.csv:9: sale_price: Must be greater than or equal to 0 and less than 10000000000.",
        "sales.csv:10: national_id: no customer has national ID 0-0",
        "sales.csv:11: customer_id: give customer_id or national_id",
        "sales.csv:12: sale_price: at most 2 decimals",
        "sales.csv:12: serial_number: Field may not be null.",
        "Error: 9 bad lines; nothing was imported",
    ]
    assert units() == before


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("product_code,sale_date,customer_id\n", "missing columns: serial_number"),
        ("product_code,serial_number,sale_date\n", "missing columns: customer_id or national_id"),
        (HEADER.strip() + ",colour\n", "unknown columns: colour"),
    ],
)
def test_the_header_must_name_the_columns(run, csv_file, header, problem):
    result = run("warranty", "import-sales", csv_file(header + "x,y,z\n"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"sales.csv:1: {problem}"


def test_a_file_saved_by_a_spreadsheet_with_a_byte_order_mark(
    run, tmp_path, make_product, make_customer
):
    make_product("RX-200")
    ana = make_customer()
    path = tmp_path / "excel.csv"
    path.write_text(HEADER + f"RX-200,SN-1,2024-01-15,10.00,,{ana.id},\n", encoding="utf-8-sig")
    result = run("warranty", "import-sales", str(path))
    assert result.exit_code == 0, result.output
    assert units() == 1


def test_the_command_refuses_while_the_plugin_is_disabled(run, csv_file, disable_plugin):
    disable_plugin("warranty")
    result = run("warranty", "import-sales", csv_file(HEADER))
    assert result.exit_code == 1
    assert "plugin 'warranty' is disabled" in result.stderr
