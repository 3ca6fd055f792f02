"""Hook implementations of the invoicing plugin (features arrive with the plugin's own issue)."""

title = "Invoicing"
#: Plugins that must be enabled before this one.
requires: list[str] = []
