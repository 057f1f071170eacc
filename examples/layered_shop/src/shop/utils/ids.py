"""Identifier generation: UUIDs, short public codes and order numbers."""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timezone

# No 0/O or 1/I so codes can be read out over the phone.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_uuid() -> str:
    return str(uuid.uuid4())


def short_code(length: int = 8) -> str:
    """Random code from an unambiguous alphabet."""
    if length < 4:
        raise ValueError("codes shorter than 4 characters collide too often")
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def prefixed_id(prefix: str, length: int = 10) -> str:
    """Public identifier such as ``cart_7KQ2M9XZ4R``."""
    return f"{prefix.lower()}_{short_code(length)}"


def order_number(now: datetime | None = None) -> str:
    """Customer-facing order number: date plus a random suffix."""
    moment = now or datetime.now(timezone.utc)
    return f"SO-{moment:%Y%m%d}-{short_code(6)}"


def check_digit(code: str) -> str:
    """Damm-like check character over the alphabet, appended to references."""
    total = 0
    for position, char in enumerate(code.upper()):
        index = ALPHABET.find(char)
        if index < 0:
            index = ord(char) % len(ALPHABET)
        total = (total * 3 + index * (position + 1)) % len(ALPHABET)
    return ALPHABET[total]


def reference_with_check(prefix: str, length: int = 10) -> str:
    body = f"{prefix.upper()}{short_code(length)}"
    return body + check_digit(body)


def reference_is_valid(reference: str) -> bool:
    return len(reference) > 1 and check_digit(reference[:-1]) == reference[-1]


def idempotency_key(*parts: object) -> str:
    """Stable key for retried requests to external providers."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:32]
