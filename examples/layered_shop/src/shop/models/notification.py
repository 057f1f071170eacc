"""Outgoing customer notifications and per-customer channel preferences."""
from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import Mapped, mapped_column

from shop.db.base import Base, IdMixin, TimestampMixin, utcnow

MAX_ATTEMPTS = 5


class Channel(str, Enum):
    EMAIL = "email"
    SMS = "sms"
    PUSH = "push"


class NotificationStatus(str, Enum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    SUPPRESSED = "suppressed"


class Notification(IdMixin, TimestampMixin, Base):
    __tablename__ = "notifications"

    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), nullable=True)
    channel: Mapped[Channel] = mapped_column(SqlEnum(Channel), default=Channel.EMAIL)
    topic: Mapped[str] = mapped_column(String(40))
    template: Mapped[str] = mapped_column(String(60))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[NotificationStatus] = mapped_column(
        SqlEnum(NotificationStatus), default=NotificationStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    @property
    def can_retry(self) -> bool:
        return self.status is NotificationStatus.FAILED and self.attempts < MAX_ATTEMPTS

    def mark_sent(self) -> None:
        self.attempts += 1
        self.status = NotificationStatus.SENT
        self.sent_at = utcnow()
        self.last_error = None

    def mark_failed(self, error: str) -> None:
        self.attempts += 1
        self.status = NotificationStatus.FAILED
        self.last_error = error[:300]

    def suppress(self) -> None:
        self.status = NotificationStatus.SUPPRESSED


class NotificationPreference(IdMixin, Base):
    """Opt-out flags per channel and topic ('marketing', 'order', 'shipping')."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("customer_id", "channel", "topic"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[Channel] = mapped_column(SqlEnum(Channel))
    topic: Mapped[str] = mapped_column(String(40))
    enabled: Mapped[bool] = mapped_column(default=True)

    def allows(self, channel: Channel, topic: str) -> bool:
        if self.channel is not channel or self.topic != topic:
            return True
        return self.enabled
