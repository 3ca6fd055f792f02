"""The warranty plugin's operations, shared by its pages, API, command line and hooks."""

from .catalog import (
    create_product,
    ensure_default_causes,
    find_unit,
    get_product,
    get_unit,
    list_causes,
    list_products,
    register_unit,
    save_cause,
    units_of_customer,
    units_of_product,
    update_product,
    warranty_ends,
)
from .claims import (
    claims_of_ticket,
    create_claim,
    get_claim,
    list_claims,
    misuse_claim_of,
    trade_in_share,
    transition_claim,
)
from .sales_import import SalesImportError, import_sales, read_rows
from .service_log import service_log

__all__ = [
    "SalesImportError",
    "claims_of_ticket",
    "create_claim",
    "create_product",
    "ensure_default_causes",
    "find_unit",
    "get_claim",
    "get_product",
    "get_unit",
    "import_sales",
    "list_causes",
    "list_claims",
    "list_products",
    "misuse_claim_of",
    "read_rows",
    "register_unit",
    "save_cause",
    "service_log",
    "trade_in_share",
    "transition_claim",
    "units_of_customer",
    "units_of_product",
    "update_product",
    "warranty_ends",
]
