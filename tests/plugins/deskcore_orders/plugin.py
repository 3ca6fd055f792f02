"""Registers orders and tells other plugins through its own hook."""

from deskcore.plugins import hook

from . import hookspecs  # noqa: F401  (the registry adds the hooks this plugin defines)

title = "Orders"


def register_order(order_number: str) -> None:
    hook().order_registered(order_number=order_number)
