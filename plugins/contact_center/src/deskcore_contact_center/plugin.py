"""Hook implementations of the contact_center plugin (features come with its own issue)."""

title = "Contact center"
#: Plugins that must be enabled before this one.
requires: list[str] = []
