"""Background jobs registered with the in-process scheduler."""
