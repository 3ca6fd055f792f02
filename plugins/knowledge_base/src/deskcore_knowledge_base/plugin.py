"""Hook implementations of the knowledge_base plugin (features come with its own issue)."""

title = "Knowledge base"
#: Plugins that must be enabled before this one.
requires: list[str] = []
