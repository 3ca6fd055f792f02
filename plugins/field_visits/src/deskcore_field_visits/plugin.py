"""Hook implementations of the field_visits plugin (features arrive with the plugin's own issue)."""

title = "Field visits"
#: Plugins that must be enabled before this one.
requires: list[str] = []
