"""HTTP client for the PayHub payment gateway."""
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings

from core.exceptions import ExternalServiceError
from core.money import to_minor_units

logger = logging.getLogger(__name__)


@dataclass
class GatewayResult:
    ok: bool
    reference: str
    status: str
    raw: dict = field(default_factory=dict)
    error_code: str = ""
    error_message: str = ""


class PaymentGatewayClient:
    def __init__(self, base_url: str, api_key: str, webhook_secret: str, timeout: int = 10):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.timeout = timeout

    def _request(self, method: str, path: str, payload=None, *, idempotency_key: str = "") -> dict:
        data = json.dumps(payload).encode("utf-8") if payload is not None else None
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.api_key}")
        request.add_header("Content-Type", "application/json")
        if idempotency_key:
            request.add_header("Idempotency-Key", idempotency_key)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read().decode("utf-8")
                return json.loads(body) if body else {}
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", errors="replace")
            try:
                parsed = json.loads(body)
            except ValueError as parse_error:
                raise ExternalServiceError(f"Gateway returned HTTP {exc.code}") from parse_error
            parsed["http_status"] = exc.code
            return parsed
        except (urllib.error.URLError, TimeoutError) as exc:
            logger.warning("Payment gateway unreachable: %s", exc)
            raise ExternalServiceError(f"Payment gateway unreachable: {exc}") from exc

    @staticmethod
    def _result(response: dict) -> GatewayResult:
        error = response.get("error") or {}
        return GatewayResult(
            ok=not error and response.get("http_status", 200) < 400,
            reference=response.get("id", ""),
            status=response.get("status", "unknown"),
            raw=response,
            error_code=error.get("code", ""),
            error_message=error.get("message", ""),
        )

    def create_intent(self, *, amount, currency: str, reference: str, metadata=None) -> GatewayResult:
        payload = {
            "amount": to_minor_units(amount),
            "currency": currency.lower(),
            "reference": reference,
            "capture_method": "manual",
            "metadata": metadata or {},
        }
        return self._result(self._request("POST", "/payment_intents", payload, idempotency_key=f"intent-{reference}"))

    def capture(self, reference: str, amount=None) -> GatewayResult:
        payload = {"amount": to_minor_units(amount)} if amount is not None else {}
        return self._result(self._request("POST", f"/payment_intents/{reference}/capture", payload, idempotency_key=f"capture-{reference}"))

    def refund(self, reference: str, amount, reason: str = "") -> GatewayResult:
        payload = {"payment_intent": reference, "amount": to_minor_units(amount), "reason": reason[:200]}
        return self._result(self._request("POST", "/refunds", payload))

    def retrieve(self, reference: str) -> GatewayResult:
        return self._result(self._request("GET", f"/payment_intents/{reference}"))

    def verify_signature(self, payload: bytes, signature: str) -> bool:
        if not self.webhook_secret or not signature:
            return False
        expected = hmac.new(self.webhook_secret.encode("utf-8"), payload, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)


def get_gateway() -> PaymentGatewayClient:
    config = settings.PAYMENTS
    return PaymentGatewayClient(
        config["GATEWAY_URL"], config["API_KEY"], config["WEBHOOK_SECRET"], timeout=config.get("TIMEOUT", 10)
    )
