"""Input validation helpers raising a single ValidationError type."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Mapping

from shop.utils.money import to_decimal

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
SKU_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
COUNTRY_CODES = frozenset({"DE", "AT", "CH", "FR", "NL", "BE", "IT", "ES", "PL", "GB", "US"})


class ValidationError(ValueError):
    """Invalid input; ``field`` names the offending attribute."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def require(condition: bool, field: str, message: str) -> None:
    if not condition:
        raise ValidationError(field, message)


def require_fields(data: Mapping[str, Any], *names: str) -> None:
    """Every name must be present and non-empty in ``data``."""
    for name in names:
        value = data.get(name)
        require(value is not None and value != "", name, "is required")


def validate_email(value: str) -> str:
    normalized = (value or "").strip().lower()
    require(bool(EMAIL_RE.match(normalized)), "email", "is not a valid e-mail address")
    return normalized


def validate_positive(value: object, field: str) -> Decimal:
    try:
        amount = to_decimal(value)
    except ValueError:
        raise ValidationError(field, "must be a number") from None
    require(amount > 0, field, "must be greater than zero")
    return amount


def validate_quantity(value: object, field: str = "quantity", maximum: int = 999) -> int:
    try:
        quantity = int(str(value))
    except ValueError:
        raise ValidationError(field, "must be a whole number") from None
    require(1 <= quantity <= maximum, field, f"must be between 1 and {maximum}")
    return quantity


def validate_sku(value: str) -> str:
    sku = (value or "").strip().upper()
    require(bool(SKU_RE.match(sku)), "sku", "must be 3-32 letters, digits or dashes")
    return sku


def validate_country(value: str) -> str:
    code = (value or "").strip().upper()
    require(code in COUNTRY_CODES, "country", f"unsupported country {value!r}")
    return code


def validate_phone(value: str) -> str:
    phone = (value or "").strip()
    require(bool(PHONE_RE.match(phone)), "phone", "is not a valid phone number")
    return phone
