"""A tiny HTTP routing layer: requests, responses, routers and errors."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from shop.utils.validation import ValidationError

Handler = Callable[..., "Response"]


class HttpError(Exception):
    status = 500

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.__class__.__name__)
        self.message = message or self.__class__.__name__


class BadRequest(HttpError):
    status = 400


class Unauthorized(HttpError):
    status = 401


class NotFound(HttpError):
    status = 404


class Conflict(HttpError):
    status = 409


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> dict[str, Any]:
        if not self.body:
            return {}
        try:
            data = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadRequest(f"malformed JSON body: {exc}") from exc
        if not isinstance(data, dict):
            raise BadRequest("JSON body must be an object")
        return data

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.query.get(name, default)

    def int_arg(self, name: str, default: int) -> int:
        raw = self.query.get(name)
        if raw is not None and not raw.lstrip("-").isdigit():
            raise BadRequest(f"query parameter {name} must be an integer")
        return int(raw) if raw is not None else default


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def path_int(value: str, name: str = "id") -> int:
    """Convert a path parameter to a positive integer or fail with 400."""
    if not value.isdigit() or int(value) <= 0:
        raise BadRequest(f"{name} must be a positive integer")
    return int(value)


def customer_id_from(request: Request) -> int:
    """Customer id injected by the authenticating gateway in front of the API."""
    raw = request.headers.get("X-Customer-Id", "")
    if not raw.isdigit():
        raise Unauthorized("login required")
    return int(raw)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def json_response(payload: Any, status: int = 200) -> Response:
    body = json.dumps(payload, default=_default).encode("utf-8")
    return Response(status, body, {"Content-Type": "application/json"})


def error_response(exc: Exception) -> Response:
    if isinstance(exc, ValidationError):
        return json_response({"error": "validation", **exc.as_dict()}, 422)
    if isinstance(exc, HttpError):
        return json_response({"error": exc.message}, exc.status)
    if isinstance(exc, LookupError):
        return json_response({"error": str(exc)}, 404)
    return json_response({"error": "internal server error"}, 500)


class Router:
    """Maps ``METHOD /path/{param}`` patterns to handler functions."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix.rstrip("/")
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def route(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.prefix + pattern)

        def register(handler: Handler) -> Handler:
            self.routes.append((method.upper(), re.compile(f"^{regex}/?$"), handler))
            return handler

        return register

    def get(self, pattern: str) -> Callable[[Handler], Handler]:
        return self.route("GET", pattern)

    def post(self, pattern: str) -> Callable[[Handler], Handler]:
        return self.route("POST", pattern)

    def put(self, pattern: str) -> Callable[[Handler], Handler]:
        return self.route("PUT", pattern)

    def delete(self, pattern: str) -> Callable[[Handler], Handler]:
        return self.route("DELETE", pattern)

    def dispatch(self, request: Request) -> Response | None:
        """Call the matching handler, or return None when nothing matches."""
        for method, regex, handler in self.routes:
            match = regex.match(request.path)
            if match and method == request.method.upper():
                try:
                    return handler(request, **match.groupdict())
                except Exception as exc:  # noqa: BLE001 - converted to HTTP errors
                    return error_response(exc)
        return None
