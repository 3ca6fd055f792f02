"""Test plugin that defines a hook of its own (``order_registered``) for other plugins."""
