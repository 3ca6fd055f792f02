"""Test plugin implementing a hook that another plugin (orders) defines."""
