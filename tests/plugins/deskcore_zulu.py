"""Test plugin "zulu": needs alpha (so dummy ← alpha ← zulu is a chain) and sorts last."""

from __future__ import annotations

from deskcore import hookimpl
from deskcore.contributions import MenuLink

requires = ["alpha"]


@hookimpl
def menu_links(user):
    return [MenuLink("Zulu", "/plugins/zulu/")]
