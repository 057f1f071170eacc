"""Management commands for the catalog."""
