"""Creating and delivering notifications."""
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import channels, rendering
from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

CHANNELS_BY_KIND = {
    "accounts.welcome": [Notification.Channel.EMAIL],
    "orders.received": [Notification.Channel.IN_APP],
    "orders.paid": [Notification.Channel.IN_APP, Notification.Channel.EMAIL],
    "payment.failed": [Notification.Channel.IN_APP, Notification.Channel.EMAIL],
    "payment.refunded": [Notification.Channel.IN_APP, Notification.Channel.EMAIL],
    "shipping.in_transit": [Notification.Channel.IN_APP, Notification.Channel.EMAIL],
    "shipping.out_for_delivery": [Notification.Channel.IN_APP, Notification.Channel.SMS],
    "shipping.delivered": [Notification.Channel.IN_APP],
    "shipping.exception": [Notification.Channel.IN_APP, Notification.Channel.EMAIL],
    "cart.abandoned": [Notification.Channel.EMAIL],
}
DEFAULT_CHANNELS = [Notification.Channel.IN_APP]

PREFERENCE_FIELDS = {"email_enabled", "sms_enabled", "in_app_enabled", "order_updates", "marketing", "muted_kinds"}


def get_preferences(user) -> NotificationPreference:
    preferences, _ = NotificationPreference.objects.get_or_create(
        user=user, defaults={"marketing": getattr(user, "marketing_opt_in", False)}
    )
    return preferences


def update_preferences(user, **changes) -> NotificationPreference:
    preferences = get_preferences(user)
    for name, value in changes.items():
        if name in PREFERENCE_FIELDS:
            setattr(preferences, name, value)
    preferences.save()
    return preferences


def notify_user(user, kind: str, context=None, channel_list=None) -> list:
    """Render ``kind`` for ``user`` and store one notification per channel."""
    context = {"name": getattr(user, "display_name", str(user)), **(context or {})}
    preferences = get_preferences(user)
    message = rendering.render(kind, context, locale=context.get("locale", "en"))
    notifications = [
        Notification(
            recipient=user,
            channel=channel,
            kind=kind,
            title=message.subject[:200],
            body=message.text,
            payload=context,
            status=Notification.Status.QUEUED if preferences.allows(channel, kind) else Notification.Status.SKIPPED,
        )
        for channel in (channel_list or CHANNELS_BY_KIND.get(kind, DEFAULT_CHANNELS))
    ]
    return Notification.objects.bulk_create(notifications)


def deliver(notification) -> Notification:
    if notification.status != Notification.Status.QUEUED:
        return notification
    recipient = notification.recipient
    try:
        if notification.channel == Notification.Channel.EMAIL:
            message = rendering.RenderedMessage(subject=notification.title, text=notification.body)
            channels.send_email_message([recipient.email], message)
        elif notification.channel == Notification.Channel.SMS:
            if not recipient.phone_number:
                notification.status = Notification.Status.SKIPPED
                notification.error = "No phone number on file"
                notification.save(update_fields=["status", "error", "updated_at"])
                return notification
            channels.send_sms(recipient.phone_number, f"{notification.title}: {notification.body}")
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.error = ""
    except channels.DeliveryError as exc:
        logger.warning("Delivery of notification %s failed: %s", notification.pk, exc)
        notification.status = Notification.Status.FAILED
        notification.error = str(exc)
    notification.save(update_fields=["status", "sent_at", "error", "updated_at"])
    return notification


def send_templated_email(recipients, template_key: str, context: dict) -> int:
    message = rendering.render(template_key, context)
    return channels.send_email_message(recipients, message)


def mark_read(user, notification_ids) -> int:
    return Notification.objects.filter(recipient=user, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def purge_old(days: int = 90) -> int:
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = Notification.objects.filter(created_at__lt=cutoff).exclude(read_at__isnull=True).delete()
    return deleted
