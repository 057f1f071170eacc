"""Shared kernel: abstract base models, money helpers, pagination and errors."""
