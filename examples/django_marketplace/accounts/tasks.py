"""Periodic account maintenance."""
from datetime import timedelta

from celery import shared_task
from celery.utils.log import get_task_logger
from django.utils import timezone

from . import services
from .models import User

logger = get_task_logger(__name__)


@shared_task(name="accounts.tasks.purge_unverified_accounts")
def purge_unverified_accounts(days: int = 14) -> int:
    """Remove accounts that never verified their email address."""
    cutoff = timezone.now() - timedelta(days=days)
    removed = services.purge_unverified(cutoff)
    logger.info("purge_unverified_accounts removed %d accounts", removed)
    return removed


@shared_task(name="accounts.tasks.record_last_seen", ignore_result=True)
def record_last_seen(user_id: int) -> None:
    """Persist activity timestamps outside the request cycle."""
    User.objects.filter(pk=user_id).update(last_seen_at=timezone.now())
