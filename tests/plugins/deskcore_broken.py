"""Test plugin "broken": its import fails, as when a plugin's dependency is not installed."""

import deskcore_dependency_that_is_not_installed  # noqa: F401
