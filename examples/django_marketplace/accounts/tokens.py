"""Signed tokens for email verification links."""
from django.core import signing

from core.exceptions import DomainError

SALT = "accounts.email-verification"
DEFAULT_MAX_AGE = 60 * 60 * 24 * 3


def make_verification_token(user) -> str:
    """Token embedding the user id and the email being verified."""
    return signing.dumps({"uid": user.pk, "email": user.email}, salt=SALT)


def read_verification_token(token: str, max_age: int = DEFAULT_MAX_AGE) -> dict:
    """Decode a verification token, translating signing errors to domain errors."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise DomainError("This verification link has expired.", code="token_expired") from exc
    except signing.BadSignature as exc:
        raise DomainError("This verification link is invalid.", code="token_invalid") from exc
    if "uid" not in payload or "email" not in payload:
        raise DomainError("This verification link is invalid.", code="token_invalid")
    return payload
