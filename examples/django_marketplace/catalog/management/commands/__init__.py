"""Catalog management commands."""
