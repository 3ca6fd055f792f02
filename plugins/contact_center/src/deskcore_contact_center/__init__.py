"""Deskcore plugin contact_center."""
