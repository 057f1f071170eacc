"""App configuration for shipping."""
from django.apps import AppConfig


class ShippingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "shipping"
    verbose_name = "Shipping"

    def ready(self):
        from . import signals  # noqa: F401
