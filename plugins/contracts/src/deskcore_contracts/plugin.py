"""Hook implementations of the contracts plugin (features arrive with the plugin's own issue)."""

title = "Service contracts"
#: Plugins that must be enabled before this one.
requires: list[str] = []
