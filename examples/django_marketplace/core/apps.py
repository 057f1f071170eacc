"""App configuration for the shared kernel."""
from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The core app only provides abstract models and helpers."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Core"
