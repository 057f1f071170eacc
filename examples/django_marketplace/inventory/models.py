"""Inventory models."""
from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


class Warehouse(TimeStampedModel):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)
    country_code = models.CharField(max_length=2)
    city = models.CharField(max_length=100)
    address = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    priority = models.PositiveSmallIntegerField(default=100, help_text="Lower ships first")

    class Meta:
        ordering = ["priority", "code"]

    def __str__(self):
        return f"{self.code} ({self.city})"


class StockItem(TimeStampedModel):
    """Units of one product held in one warehouse."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="stock_items")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stock_items")
    quantity = models.IntegerField(default=0)
    reserved = models.PositiveIntegerField(default=0)
    reorder_level = models.PositiveIntegerField(default=5)
    bin_location = models.CharField(max_length=32, blank=True)

    class Meta:
        db_table = "inventory_stockitem"
        constraints = [
            models.UniqueConstraint(fields=["product", "warehouse"], name="uniq_stock_product_warehouse"),
        ]

    def __str__(self):
        return f"{self.product_id}@{self.warehouse_id}: {self.quantity}"

    @property
    def available(self) -> int:
        return max(self.quantity - self.reserved, 0)

    @property
    def needs_reorder(self) -> bool:
        return self.available <= self.reorder_level


class StockMovement(models.Model):
    """Append-only ledger of every change to a stock item."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Receipt"
        SALE = "sale", "Sale"
        RETURN = "return", "Return"
        ADJUSTMENT = "adjustment", "Adjustment"
        TRANSFER_IN = "transfer_in", "Transfer in"
        TRANSFER_OUT = "transfer_out", "Transfer out"

    stock_item = models.ForeignKey(StockItem, on_delete=models.CASCADE, related_name="movements")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    quantity = models.IntegerField(help_text="Signed change in units")
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="stock_movements")
    reference = models.CharField(max_length=64, blank=True)
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "inventory_stockmovement"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["stock_item", "created_at"], name="inv_movement_item_idx")]

    def __str__(self):
        return f"{self.kind} {self.quantity:+d} on {self.stock_item_id}"
