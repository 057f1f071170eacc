"""Postal addresses belonging to customers."""
from __future__ import annotations

import re

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.db.base import Base, IdMixin, TimestampMixin

POSTCODE_PATTERNS: dict[str, re.Pattern[str]] = {
    "DE": re.compile(r"^\d{5}$"),
    "AT": re.compile(r"^\d{4}$"),
    "CH": re.compile(r"^\d{4}$"),
    "FR": re.compile(r"^\d{5}$"),
    "NL": re.compile(r"^\d{4} ?[A-Z]{2}$"),
    "GB": re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$"),
    "US": re.compile(r"^\d{5}(-\d{4})?$"),
}


def postcode_is_valid(country: str, postcode: str) -> bool:
    """Check a postcode against the country's format; unknown countries pass."""
    pattern = POSTCODE_PATTERNS.get(country.upper())
    return pattern is None or bool(pattern.match(postcode.strip().upper()))


class Address(IdMixin, TimestampMixin, Base):
    __tablename__ = "addresses"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    label: Mapped[str] = mapped_column(String(40), default="Home")
    recipient: Mapped[str] = mapped_column(String(160))
    line1: Mapped[str] = mapped_column(String(160))
    line2: Mapped[str] = mapped_column(String(160), default="")
    city: Mapped[str] = mapped_column(String(80))
    postcode: Mapped[str] = mapped_column(String(12))
    country: Mapped[str] = mapped_column(String(2))
    is_default_shipping: Mapped[bool] = mapped_column(default=False)
    is_default_billing: Mapped[bool] = mapped_column(default=False)

    customer = relationship("Customer", back_populates="addresses")

    def label_lines(self) -> list[str]:
        """Lines as printed on a parcel label."""
        lines = [self.recipient, self.line1]
        if self.line2:
            lines.append(self.line2)
        if self.country in ("GB", "US"):
            lines.append(f"{self.city} {self.postcode}")
        else:
            lines.append(f"{self.postcode} {self.city}")
        lines.append(self.country)
        return lines

    def one_line(self) -> str:
        return ", ".join(self.label_lines())

    def is_domestic(self, home_country: str = "DE") -> bool:
        return self.country == home_country

    def is_complete(self) -> bool:
        required = (self.recipient, self.line1, self.city, self.postcode, self.country)
        return all(required) and postcode_is_valid(self.country, self.postcode)
