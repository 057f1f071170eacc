"""Customer accounts and their loyalty point ledger."""
from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.db.base import Base, IdMixin, SoftDeleteMixin, TimestampMixin, utcnow


class LoyaltyTier(str, Enum):
    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"


TIER_THRESHOLDS = ((LoyaltyTier.GOLD, 5000), (LoyaltyTier.SILVER, 1000), (LoyaltyTier.BRONZE, 0))


class Customer(IdMixin, TimestampMixin, SoftDeleteMixin, Base):
    __tablename__ = "customers"

    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    marketing_opt_in: Mapped[bool] = mapped_column(default=False)
    loyalty_points: Mapped[int] = mapped_column(Integer, default=0)
    lifetime_points: Mapped[int] = mapped_column(Integer, default=0)
    tier: Mapped[LoyaltyTier] = mapped_column(SqlEnum(LoyaltyTier), default=LoyaltyTier.BRONZE)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    addresses = relationship("Address", back_populates="customer", cascade="all, delete-orphan")
    loyalty_transactions: Mapped[list["LoyaltyTransaction"]] = relationship(
        back_populates="customer", order_by="LoyaltyTransaction.created_at"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def default_shipping_address(self):
        """The address flagged as default, else the most recently added one."""
        flagged = [a for a in self.addresses if a.is_default_shipping]
        if flagged:
            return flagged[0]
        return self.addresses[-1] if self.addresses else None

    def recompute_tier(self) -> LoyaltyTier:
        for tier, threshold in TIER_THRESHOLDS:
            if self.lifetime_points >= threshold:
                self.tier = tier
                break
        return self.tier

    def record_login(self) -> None:
        self.last_login_at = utcnow()


class LoyaltyTransaction(IdMixin, Base):
    __tablename__ = "loyalty_transactions"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str | None] = mapped_column(String(40), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="loyalty_transactions")

    @property
    def is_credit(self) -> bool:
        return self.points > 0
