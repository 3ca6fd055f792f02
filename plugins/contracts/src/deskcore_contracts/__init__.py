"""Deskcore plugin contracts."""
