"""Deskcore plugin field_visits."""
