"""Card payments through the external payment provider."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import urllib.error
import urllib.request
from decimal import Decimal
from functools import lru_cache
from typing import Any

from shop.db.base import model_to_dict
from shop.db.repository import Repository
from shop.db.session import Session
from shop.models.payment import Payment, PaymentStatus
from shop.utils.ids import idempotency_key
from shop.utils.logging_config import get_logger
from shop.utils.money import from_cents, to_cents

log = get_logger(__name__)


class PaymentDeclined(Exception):
    """The provider refused the charge (insufficient funds, fraud check, ...)."""


class PaymentProviderError(Exception):
    """The provider could not be reached or answered with an error."""


class GatewayClient:
    """Very small client for the provider's JSON/HTTPS API."""

    def __init__(self, base_url: str, api_key: str, webhook_secret: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.webhook_secret = webhook_secret.encode("utf-8")
        self.timeout = timeout

    def _request(self, method: str, path: str, payload: dict[str, Any] | None = None,
                 key: str | None = None) -> dict[str, Any]:
        data = json.dumps(payload).encode("utf-8") if payload is not None else None
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.api_key}")
        request.add_header("Content-Type", "application/json")
        if key:
            request.add_header("Idempotency-Key", key)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            body = json.loads(exc.read().decode("utf-8") or "{}")
            if exc.code == 402:
                raise PaymentDeclined(body.get("decline_reason", "declined")) from exc
            raise PaymentProviderError(f"{exc.code}: {body.get('message', exc.reason)}") from exc
        except urllib.error.URLError as exc:
            raise PaymentProviderError(str(exc.reason)) from exc

    def create_charge(self, amount_cents: int, currency: str, card_token: str, key: str) -> dict[str, Any]:
        payload = {"amount": amount_cents, "currency": currency, "source": card_token, "capture": True}
        return self._request("POST", "/v1/charges", payload, key)

    def create_refund(self, charge_reference: str, amount_cents: int, key: str) -> dict[str, Any]:
        return self._request("POST", "/v1/refunds", {"charge": charge_reference, "amount": amount_cents}, key)

    def retrieve_charge(self, charge_reference: str) -> dict[str, Any]:
        return self._request("GET", f"/v1/charges/{charge_reference}")

    def verify_signature(self, payload: bytes, signature: str) -> bool:
        expected = hmac.new(self.webhook_secret, payload, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)


@lru_cache(maxsize=1)
def get_client() -> GatewayClient:
    return GatewayClient(
        os.environ.get("PAYMENT_API_URL", "https://api.payments.example"),
        os.environ.get("PAYMENT_API_KEY", ""),
        os.environ.get("PAYMENT_WEBHOOK_SECRET", ""),
    )


class PaymentRepository(Repository[Payment]):
    model = Payment

    def for_order(self, order_id: int) -> list[Payment]:
        return self.session.query(Payment).filter_by(order_id=order_id).order_by(Payment.id).all()

    def by_reference(self, reference: str) -> Payment | None:
        return self.find_one(provider_reference=reference)


def charge(session: Session, order_id: int, amount: Decimal, currency: str, card_token: str) -> Payment:
    """Charge the card and record the outcome; raises PaymentDeclined."""
    key = idempotency_key("charge", order_id, to_cents(amount))
    payment = PaymentRepository(session).add(
        Payment(order_id=order_id, amount=amount, currency=currency,
                idempotency_key=key, status=PaymentStatus.AUTHORIZED)
    )
    try:
        result = get_client().create_charge(to_cents(amount), currency, card_token, key)
    except PaymentDeclined as exc:
        payment.mark_failed(str(exc))
        raise
    payment.mark_captured(result["id"])
    log.info("captured %s %s for order %s", amount, currency, order_id)
    return payment


def get_payment(session: Session, payment_id: int) -> Payment:
    return PaymentRepository(session).get_or_raise(payment_id)


def payments_for_order(session: Session, order_id: int) -> list[Payment]:
    return PaymentRepository(session).for_order(order_id)


def handle_webhook(session: Session, payload: bytes, signature: str) -> Payment | None:
    """Apply an asynchronous provider event (capture failed, dispute, ...)."""
    if not get_client().verify_signature(payload, signature):
        raise PaymentProviderError("invalid webhook signature")
    event = json.loads(payload.decode("utf-8"))
    payment = PaymentRepository(session).by_reference(event["data"]["charge"])
    if payment is None:
        log.warning("webhook for unknown charge %s", event["data"]["charge"])
        return None
    if event["type"] == "charge.failed":
        payment.mark_failed(event["data"].get("reason", "failed at provider"))
    elif event["type"] == "charge.captured":
        payment.amount = from_cents(event["data"]["amount"])
        payment.mark_captured(event["data"]["charge"])
    return payment


def payment_to_dict(payment: Payment) -> dict[str, Any]:
    data = model_to_dict(payment, exclude=("idempotency_key",))
    data["refundable_amount"] = str(payment.refundable_amount)
    return data
