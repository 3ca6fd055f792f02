"""Deskcore plugin invoicing."""
