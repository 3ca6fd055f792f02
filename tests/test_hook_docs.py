"""docs/hooks.md and deskcore.hookspecs cannot drift apart.

Every ``## name`` section of the reference must be a hook, every hook must have one, and the
signature line under the heading must list exactly the spec's arguments, each described.
"""

import inspect
import re
from pathlib import Path

import pytest

from deskcore import hookspecs

DOCS = Path(__file__).parents[1] / "docs" / "hooks.md"
SPECS = {
    name: function
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(function, "deskcore_spec")
}
SIGNATURE = re.compile(r"`(?P<name>\w+)\((?P<arguments>[\w, ]*)\)`")


def sections() -> dict[str, str]:
    """Heading → body of every ``## `` section of the hook reference."""
    parts = re.split(r"^## +(.+?)\s*$", DOCS.read_text(), flags=re.MULTILINE)
    found: dict[str, str] = {}
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        assert heading not in found, f"docs/hooks.md has two sections '## {heading}'"
        found[heading] = body
    return found


def documented_arguments(hook: str, body: str) -> list[str]:
    """The arguments of the signature line, the first line of the section."""
    first_line = body.strip().splitlines()[0] if body.strip() else ""
    match = SIGNATURE.fullmatch(first_line)
    assert match, f"'## {hook}' must start with its signature, like `{hook}(...)`"
    assert match["name"] == hook, f"'## {hook}' shows the signature of {match['name']}"
    return [a.strip() for a in match["arguments"].split(",") if a.strip()]


def test_every_hook_has_a_section_in_the_docs():
    assert sorted(set(SPECS) - set(sections())) == []


def test_every_section_in_the_docs_is_a_hook():
    assert sorted(set(sections()) - set(SPECS)) == []


@pytest.mark.parametrize("hook", sorted(SPECS))
def test_documented_arguments_are_the_spec_arguments(hook):
    body = sections().get(hook, "")
    spec_arguments = list(inspect.signature(SPECS[hook]).parameters)
    assert documented_arguments(hook, body) == spec_arguments
    for argument in spec_arguments:
        assert f"- `{argument}`" in body, f"'## {hook}' does not describe `{argument}`"


@pytest.mark.parametrize("hook", sorted(SPECS))
def test_documented_hooks_say_what_to_return_and_show_an_example(hook):
    body = sections().get(hook, "")
    assert "**Returns:**" in body
    assert f"def {hook}(" in body, f"'## {hook}' needs an example implementing it"


@pytest.mark.parametrize("hook", sorted(SPECS))
def test_every_hookspec_keeps_a_docstring(hook):
    assert inspect.getdoc(SPECS[hook]), f"hookspec {hook} lost its docstring"


def test_the_docs_parser_catches_a_wrong_signature():
    with pytest.raises(AssertionError, match="must start with its signature"):
        documented_arguments("ticket_closed", "\nticket_closed(ticket, agent)\n")
    with pytest.raises(AssertionError, match="shows the signature of ticket_opened"):
        documented_arguments("ticket_closed", "\n`ticket_opened(ticket, agent, extra)`\n")
    assert documented_arguments("register_reports", "\n`register_reports()`\n") == []
