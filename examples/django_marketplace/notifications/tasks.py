"""Notification tasks. Other apps enqueue these, sometimes by name."""
from celery import shared_task
from celery.utils.log import get_task_logger
from django.contrib.auth import get_user_model

from . import channels, services
from .models import Notification

logger = get_task_logger(__name__)


@shared_task(name="notifications.tasks.send_email", bind=True, max_retries=5, default_retry_delay=120)
def send_email(self, to, template_key: str, context=None) -> int:
    """Render ``template_key`` and email it to ``to`` (address or list)."""
    recipients = [to] if isinstance(to, str) else list(to)
    try:
        return services.send_templated_email(recipients, template_key, context or {})
    except channels.DeliveryError as exc:
        raise self.retry(exc=exc)


@shared_task(name="notifications.tasks.send_notification", bind=True, max_retries=3, default_retry_delay=300)
def send_notification(self, notification_id: int):
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None:
        return None
    notification = services.deliver(notification)
    if notification.status == Notification.Status.FAILED and self.request.retries < self.max_retries:
        Notification.objects.filter(pk=notification_id).update(status=Notification.Status.QUEUED)
        raise self.retry(exc=channels.DeliveryError(notification.error))
    return notification.status


@shared_task(name="notifications.tasks.deliver_user_notification")
def deliver_user_notification(user_id: int, kind: str, context=None, channel_list=None) -> int:
    """Create notifications for a user and queue delivery for each channel."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    notifications = services.notify_user(user, kind, context or {}, channel_list)
    queued = [notification.pk for notification in notifications if notification.status == Notification.Status.QUEUED]
    for notification_id in queued:
        send_notification.delay(notification_id)
    return len(queued)


@shared_task(name="notifications.tasks.send_welcome_email")
def send_welcome_email(user_id: int) -> int:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return 0
    sent = 0
    for notification in services.notify_user(user, "accounts.welcome", {"name": user.display_name}):
        if services.deliver(notification).status == Notification.Status.SENT:
            sent += 1
    return sent


@shared_task(name="notifications.tasks.purge_old_notifications")
def purge_old_notifications(days: int = 90) -> int:
    deleted = services.purge_old(days)
    logger.info("Purged %d old notifications", deleted)
    return deleted
