"""Notification read queries."""
from .models import Notification


def notifications_for(user, *, unread_only: bool = False):
    queryset = Notification.objects.filter(recipient=user, channel=Notification.Channel.IN_APP).exclude(
        status=Notification.Status.SKIPPED
    )
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at")


def unread_count(user) -> int:
    return notifications_for(user, unread_only=True).count()


def queued_notifications(limit: int = 500):
    return (
        Notification.objects.filter(status=Notification.Status.QUEUED)
        .exclude(channel=Notification.Channel.IN_APP)
        .select_related("recipient")
        .order_by("created_at")[:limit]
    )
