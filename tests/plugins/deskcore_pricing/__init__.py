"""Test plugin whose settings hold a plain Decimal and a date (not JSON types)."""
