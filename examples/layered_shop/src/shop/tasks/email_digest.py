"""Delivers the notification outbox and mails a weekly digest to operations."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from shop.db.session import session_scope
from shop.models.notification import Notification, NotificationStatus
from shop.services import notifier
from shop.utils.logging_config import get_logger
from shop.utils.scheduler import periodic

log = get_logger(__name__)

OPS_ADDRESS = os.environ.get("SHOP_OPS_EMAIL", "ops@shop.example")
BATCH_SIZE = 200
RETENTION = timedelta(days=180)

DIGEST_SQL = text(
    "SELECT template, status, COUNT(*) AS messages, MAX(attempts) AS max_attempts"
    " FROM notifications WHERE created_at >= :since"
    " GROUP BY template, status ORDER BY template, status"
)


@periodic(minutes=1, name="notifications.flush_outbox")
def flush_outbox() -> int:
    with session_scope() as session:
        sent = notifier.send_pending(session, BATCH_SIZE)
    if sent:
        log.info("delivered %d notifications", sent)
    return sent


@periodic(minutes=30, name="notifications.retry_failed")
def retry_failed() -> int:
    with session_scope() as session:
        return notifier.retry_failed(session)


def _digest_rows(rows: list[dict[str, object]]) -> str:
    if not rows:
        return "(no messages)"
    width = max(len(str(r["template"])) for r in rows)
    return "\n".join(
        f"{str(r['template']).ljust(width)}  {str(r['status']):<10} {r['messages']:>6}"
        f"  (max attempts {r['max_attempts']})"
        for r in rows
    )


@periodic(hours=24 * 7, name="notifications.weekly_digest")
def weekly_digest() -> None:
    """Summary of what the shop sent last week, per template and status."""
    since = datetime.now(timezone.utc) - timedelta(days=7)
    with session_scope() as session:
        rows = [dict(r._mapping) for r in session.execute(DIGEST_SQL, {"since": since})]
        notifier.queue(session, "ops_digest", OPS_ADDRESS,
                       {"since": since.date().isoformat(), "rows": _digest_rows(rows)})
    log.info("weekly digest queued with %d rows", len(rows))


@periodic(hours=24, name="notifications.purge_old")
def purge_old_notifications() -> int:
    """Delete sent and suppressed messages older than the retention period."""
    cutoff = datetime.now(timezone.utc) - RETENTION
    purged = 0
    with session_scope() as session:
        old = session.query(Notification).filter(
            Notification.created_at < cutoff,
            Notification.status.in_([NotificationStatus.SENT, NotificationStatus.SUPPRESSED]),
        ).all()
        for notification in old:
            session.delete(notification)
            purged += 1
    return purged
