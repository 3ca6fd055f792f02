"""Collects the orders the orders plugin announces."""

from deskcore import hookimpl

title = "ERP export"
requires = ["orders"]
EXPORTED: list[str] = []


@hookimpl
def order_registered(order_number):
    EXPORTED.append(order_number)
