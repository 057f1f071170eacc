"""Persistence kernel: declarative base, session/unit of work and repositories."""
