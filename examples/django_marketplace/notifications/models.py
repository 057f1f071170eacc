"""Notification models."""
from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


class EmailTemplate(TimeStampedModel):
    """Editable message template. Bodies use Django template syntax."""

    key = models.CharField(max_length=100)
    locale = models.CharField(max_length=10, default="en")
    subject_template = models.CharField(max_length=255)
    text_template = models.TextField()
    html_template = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "notifications_email_template"
        constraints = [models.UniqueConstraint(fields=["key", "locale"], name="uniq_template_key_locale")]
        ordering = ["key", "locale"]

    def __str__(self):
        return f"{self.key} [{self.locale}]"


class Notification(TimeStampedModel):
    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "SMS"
        IN_APP = "in_app", "In-app"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.IN_APP)
    kind = models.CharField(max_length=64, db_index=True)
    title = models.CharField(max_length=200)
    body = models.TextField()
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        db_table = "notifications_notification"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_read_idx")]

    def __str__(self):
        return f"{self.kind} -> {self.recipient_id} ({self.channel}, {self.status})"


class NotificationPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    email_enabled = models.BooleanField(default=True)
    sms_enabled = models.BooleanField(default=False)
    in_app_enabled = models.BooleanField(default=True)
    order_updates = models.BooleanField(default=True)
    marketing = models.BooleanField(default=False)
    muted_kinds = models.JSONField(default=list, blank=True)

    MARKETING_KINDS = frozenset({"cart.abandoned"})
    TRANSACTIONAL_PREFIXES = ("orders.", "shipping.", "payment.")

    def __str__(self):
        return f"Preferences of {self.user_id}"

    def allows(self, channel: str, kind: str) -> bool:
        if kind in self.muted_kinds:
            return False
        if kind in self.MARKETING_KINDS and not self.marketing:
            return False
        if kind.startswith(self.TRANSACTIONAL_PREFIXES) and not self.order_updates and channel != Notification.Channel.EMAIL:
            return False
        return {
            Notification.Channel.EMAIL: self.email_enabled,
            Notification.Channel.SMS: self.sms_enabled,
            Notification.Channel.IN_APP: self.in_app_enabled,
        }.get(channel, False)
