"""Small generic helpers."""
import secrets
import string
from itertools import islice

from django.utils import timezone

REFERENCE_ALPHABET = string.ascii_uppercase + string.digits


def generate_reference(prefix: str, length: int = 8) -> str:
    """Return a human friendly unique-enough reference such as ``ORD-240131-7KQ2M9XA``."""
    stamp = timezone.now().strftime("%y%m%d")
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))
    return f"{prefix}-{stamp}-{suffix}"


def chunked(iterable, size: int):
    """Yield lists of at most ``size`` items from ``iterable``."""
    if size < 1:
        raise ValueError("size must be positive")
    iterator = iter(iterable)
    while True:
        chunk = list(islice(iterator, size))
        if not chunk:
            return
        yield chunk


def client_ip(request) -> str:
    """Best effort client IP address, honouring the first ``X-Forwarded-For`` hop."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def mask_email(email: str) -> str:
    """Mask the local part of an email address for logs."""
    local, _, domain = email.partition("@")
    if not domain:
        return "***"
    visible = local[:2] if len(local) > 2 else local[:1]
    return f"{visible}***@{domain}"
