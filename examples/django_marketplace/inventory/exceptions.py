"""Inventory specific errors."""
from rest_framework import status

from core.exceptions import DomainError


class InsufficientStock(DomainError):
    """Raised when a request needs more units than are available."""

    default_code = "insufficient_stock"
    http_status = status.HTTP_409_CONFLICT


class WarehouseInactive(DomainError):
    default_code = "warehouse_inactive"
