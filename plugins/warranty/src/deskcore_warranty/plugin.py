"""Hook implementations of the warranty plugin (features arrive with the plugin's own issue)."""

title = "Warranty claims"
#: Plugins that must be enabled before this one.
requires: list[str] = []
