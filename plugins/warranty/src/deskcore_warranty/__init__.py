"""Deskcore plugin warranty."""
