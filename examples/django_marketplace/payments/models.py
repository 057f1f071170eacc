"""Payment models."""
from decimal import Decimal

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


class Payment(TimeStampedModel):
    """The single payment attempt chain for an order."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        AUTHORIZED = "authorized", "Authorized"
        CAPTURED = "captured", "Captured"
        FAILED = "failed", "Failed"
        PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
        REFUNDED = "refunded", "Refunded"

    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="payment")
    provider = models.CharField(max_length=32, default="payhub")
    provider_reference = models.CharField(max_length=128, blank=True, db_index=True)
    client_secret = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PENDING, db_index=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    failure_code = models.CharField(max_length=64, blank=True)
    failure_message = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    raw_response = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "payments_payment"

    def __str__(self):
        return f"{self.provider}:{self.provider_reference or self.pk} ({self.status})"

    @property
    def is_settled(self) -> bool:
        return self.status in (self.Status.CAPTURED, self.Status.PARTIALLY_REFUNDED, self.Status.REFUNDED)


class Refund(TimeStampedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    order_line = models.ForeignKey("orders.OrderLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="refunds")
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    reason = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    provider_reference = models.CharField(max_length=128, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="requested_refunds")
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "payments_refund"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Refund {self.amount} on payment {self.payment_id}"


class WebhookEvent(models.Model):
    """Raw gateway webhook, stored before processing for idempotency."""

    event_id = models.CharField(max_length=128, unique=True)
    event_type = models.CharField(max_length=64)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.event_type} {self.event_id}"
