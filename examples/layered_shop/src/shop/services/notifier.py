"""Queues customer notifications and delivers them over e-mail or SMS."""
from __future__ import annotations

import os
import smtplib
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

from shop.db.repository import Repository
from shop.db.session import Session
from shop.models.notification import Channel, Notification, NotificationPreference, NotificationStatus
from shop.services import templates
from shop.services.customer_service import get_customer
from shop.utils.logging_config import get_logger
from shop.utils.validation import validate_email

log = get_logger(__name__)

SENDER = os.environ.get("SHOP_MAIL_FROM", "shop@shop.example")
SMTP_HOST = os.environ.get("SHOP_SMTP_HOST", "localhost")


class NotificationRepository(Repository[Notification]):
    model = Notification

    def queued(self, limit: int) -> list[Notification]:
        return (self.session.query(Notification).filter_by(status=NotificationStatus.QUEUED)
                .order_by(Notification.created_at).limit(limit).all())

    def retryable(self) -> list[Notification]:
        failed = self.list(status=NotificationStatus.FAILED)
        return [n for n in failed if n.can_retry]

    def for_customer(self, customer_id: int) -> list[Notification]:
        return (self.session.query(Notification).filter_by(customer_id=customer_id)
                .order_by(Notification.created_at.desc()).limit(50).all())


def is_allowed(session: Session, customer_id: int, channel: Channel, topic: str) -> bool:
    prefs = session.query(NotificationPreference).filter_by(customer_id=customer_id).all()
    return all(pref.allows(channel, topic) for pref in prefs)


def set_preference(session: Session, customer_id: int, channel: Channel, topic: str,
                   enabled: bool) -> NotificationPreference:
    pref = session.query(NotificationPreference).filter_by(
        customer_id=customer_id, channel=channel, topic=topic).first()
    if pref is None:
        pref = NotificationPreference(customer_id=customer_id, channel=channel, topic=topic)
        session.add(pref)
    pref.enabled = enabled
    return pref


def queue(session: Session, template: str, recipient: str, context: dict[str, Any],
          customer_id: int | None = None, channel: Channel = Channel.EMAIL) -> Notification:
    if channel is Channel.SMS:
        subject, body = "", templates.render_sms(template, context)
    else:
        recipient = validate_email(recipient)
        subject, body = templates.render(template, context)
    notification = Notification(customer_id=customer_id, channel=channel, recipient=recipient,
                                topic=templates.get_template(template).topic, template=template,
                                subject=subject, body=body)
    return NotificationRepository(session).add(notification)


def notify_customer(session: Session, customer_id: int, template: str,
                    context: dict[str, Any]) -> Notification | None:
    """Queue a message for a customer unless they opted out of its topic."""
    customer = get_customer(session, customer_id)
    topic = templates.get_template(template).topic
    if not is_allowed(session, customer_id, Channel.EMAIL, topic):
        log.info("customer %s opted out of %s messages", customer_id, topic)
        return None
    full_context = {"first_name": customer.first_name, **context}
    return queue(session, template, customer.email, full_context, customer_id)


def send_order_confirmation(session: Session, customer_id: int, order_number: str, total: Decimal,
                            currency: str) -> Notification | None:
    return notify_customer(session, customer_id, "order_confirmation",
                           {"order_number": order_number, "total": total, "currency": currency})


def send_payment_reminder(session: Session, customer_id: int, order_number: str, total: Decimal,
                          currency: str) -> Notification | None:
    return notify_customer(session, customer_id, "payment_reminder",
                           {"order_number": order_number, "total": total, "currency": currency})


def send_shipment_update(session: Session, customer_id: int, tracking_number: str, status: str,
                         tracking_url: str) -> Notification | None:
    return notify_customer(session, customer_id, "shipment_update",
                           {"tracking_number": tracking_number, "status": status,
                            "tracking_url": tracking_url})


def deliver(notification: Notification) -> None:
    """Hand one message to the transport for its channel."""
    try:
        if notification.channel is Channel.EMAIL:
            message = EmailMessage()
            message["From"], message["To"] = SENDER, notification.recipient
            message["Subject"] = notification.subject
            message.set_content(notification.body)
            with smtplib.SMTP(SMTP_HOST, timeout=10) as smtp:
                smtp.send_message(message)
        else:
            log.info("SMS to %s: %s", notification.recipient, notification.body)
        notification.mark_sent()
    except (OSError, smtplib.SMTPException) as exc:
        notification.mark_failed(str(exc))
        log.warning("delivery of notification %s failed: %s", notification.id, exc)


def send_pending(session: Session, limit: int = 100) -> int:
    batch = NotificationRepository(session).queued(limit)
    for notification in batch:
        deliver(notification)
    return sum(1 for n in batch if n.status is NotificationStatus.SENT)


def retry_failed(session: Session) -> int:
    retried = NotificationRepository(session).retryable()
    for notification in retried:
        deliver(notification)
    return len(retried)


def notifications_for_customer(session: Session, customer_id: int) -> list[dict[str, Any]]:
    return [{"id": n.id, "subject": n.subject, "status": n.status.value, "channel": n.channel.value,
             "created_at": n.created_at.isoformat()}
            for n in NotificationRepository(session).for_customer(customer_id)]
