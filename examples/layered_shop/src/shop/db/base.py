"""Declarative base and column mixins shared by every model."""
from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Any

from sqlalchemy import DateTime, Integer, MetaData
from sqlalchemy.orm import Mapped, declarative_base, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
Base = declarative_base(metadata=metadata)


def utcnow() -> datetime:
    """Timezone-aware 'now', used as the default for timestamp columns."""
    return datetime.now(timezone.utc)


class IdMixin:
    """Surrogate integer primary key."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)


class TimestampMixin:
    """Creation and last-modification timestamps maintained by the ORM."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    def touch(self) -> None:
        self.updated_at = utcnow()


class SoftDeleteMixin:
    """Rows are flagged as deleted instead of being removed."""

    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def soft_delete(self) -> None:
        if self.deleted_at is None:
            self.deleted_at = utcnow()

    def restore(self) -> None:
        self.deleted_at = None


def model_to_dict(instance: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Column values of a mapped instance, serialisable for JSON responses."""
    result: dict[str, Any] = {}
    for column in instance.__table__.columns:
        if column.key in exclude:
            continue
        value = getattr(instance, column.key)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Enum):
            value = value.value
        elif value is not None and not isinstance(value, (int, float, str, bool)):
            value = str(value)
        result[column.key] = value
    return result
