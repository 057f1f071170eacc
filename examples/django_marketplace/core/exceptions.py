"""Domain level exceptions and their translation to HTTP responses."""
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """Base class for business rule violations raised by services."""

    default_code = "domain_error"
    http_status = status.HTTP_400_BAD_REQUEST

    def __init__(self, message, *, code=None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code


class InvalidStateTransition(DomainError):
    default_code = "invalid_state_transition"
    http_status = status.HTTP_409_CONFLICT


class ResourceNotFound(DomainError):
    default_code = "not_found"
    http_status = status.HTTP_404_NOT_FOUND


class PermissionDeniedError(DomainError):
    default_code = "permission_denied"
    http_status = status.HTTP_403_FORBIDDEN


class ExternalServiceError(DomainError):
    """A third party (payment gateway, carrier, SMS provider) failed."""

    default_code = "external_service_error"
    http_status = status.HTTP_502_BAD_GATEWAY


def domain_exception_handler(exc, context):
    """DRF exception handler that renders :class:`DomainError` consistently."""
    if isinstance(exc, DomainError):
        return Response({"error": exc.code, "detail": exc.message}, status=exc.http_status)
    return exception_handler(exc, context)
