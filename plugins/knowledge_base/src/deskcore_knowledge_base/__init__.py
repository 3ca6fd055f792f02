"""Deskcore plugin knowledge_base."""
