"""Shipping models."""
from decimal import Decimal

from django.db import models

from accounts.models import Address
from core.models import TimeStampedModel


class Carrier(TimeStampedModel):
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    api_base_url = models.URLField(blank=True)
    tracking_url_template = models.CharField(max_length=255, help_text="Use {tracking_number} as placeholder")
    supports_international = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def tracking_url(self, tracking_number: str) -> str:
        return self.tracking_url_template.format(tracking_number=tracking_number) if tracking_number else ""


class ShippingRate(models.Model):
    """Price for parcels up to ``max_weight_grams`` to a destination country."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="rates")
    destination_country = models.CharField(max_length=2, blank=True, help_text="Blank means any country")
    max_weight_grams = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=8, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    estimated_days_min = models.PositiveSmallIntegerField(default=1)
    estimated_days_max = models.PositiveSmallIntegerField(default=3)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["price"]
        indexes = [models.Index(fields=["destination_country", "max_weight_grams"], name="shipping_rate_lookup_idx")]

    def __str__(self):
        return f"{self.carrier.code} {self.destination_country or '*'} <= {self.max_weight_grams}g: {self.price}"


class Shipment(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        LABEL_PURCHASED = "label_purchased", "Label purchased"
        IN_TRANSIT = "in_transit", "In transit"
        OUT_FOR_DELIVERY = "out_for_delivery", "Out for delivery"
        DELIVERED = "delivered", "Delivered"
        EXCEPTION = "exception", "Exception"
        RETURNED = "returned", "Returned"

    FINAL_STATUSES = (Status.DELIVERED, Status.RETURNED)

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="shipment")
    carrier = models.ForeignKey(Carrier, null=True, blank=True, on_delete=models.PROTECT, related_name="shipments")
    address = models.ForeignKey(Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="shipments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    tracking_number = models.CharField(max_length=64, blank=True, db_index=True)
    label_url = models.URLField(max_length=500, blank=True)
    weight_grams = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3, default="EUR")
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "shipping_shipment"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Shipment {self.tracking_number or self.pk} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES

    @property
    def tracking_url(self) -> str:
        return self.carrier.tracking_url(self.tracking_number) if self.carrier_id else ""


class TrackingEvent(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Shipment.Status.choices)
    description = models.CharField(max_length=255, blank=True)
    location = models.CharField(max_length=120, blank=True)
    occurred_at = models.DateTimeField()
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "occurred_at", "status"], name="uniq_tracking_event"),
        ]

    def __str__(self):
        return f"{self.shipment_id} {self.status} @ {self.occurred_at:%Y-%m-%d %H:%M}"
