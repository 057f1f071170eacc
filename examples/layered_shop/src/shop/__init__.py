"""Layered e-commerce shop: models, services, HTTP API and background tasks."""
