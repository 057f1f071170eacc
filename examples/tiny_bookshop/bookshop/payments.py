"""Card payments for orders: authorise, capture, void and refund, plus amount formatting."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

CURRENCY = "EUR"


class PaymentStatus(StrEnum):
    """Where a payment stands with the (simulated) card acquirer."""

    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    VOIDED = "voided"
    REFUNDED = "refunded"


class PaymentDeclined(Exception):
    """The card was rejected by the (simulated) acquirer."""


@dataclass
class Payment:
    """One card payment recorded against an order."""

    payment_id: str
    order_id: str
    amount: Decimal
    card_last4: str
    status: PaymentStatus = PaymentStatus.AUTHORIZED
    refunded: Decimal = Decimal("0.00")

    @property
    def net(self) -> Decimal:
        """Money actually kept: captured amount minus refunds."""
        if self.status in (PaymentStatus.AUTHORIZED, PaymentStatus.VOIDED):
            return Decimal("0.00")
        return self.amount - self.refunded


_LEDGER: dict[str, Payment] = {}
_SEQUENCE = itertools.count(1)


def format_amount(amount: Decimal) -> str:
    """Money as printed on receipts, e.g. ``EUR 12.50``."""
    return f"{CURRENCY} {amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"


def describe_card(payment: Payment) -> str:
    """Masked card of a payment, safe to show to the customer."""
    return f"card ending {payment.card_last4}"


def card_is_valid(card_number: str) -> bool:
    """Luhn checksum over the digits of a card number."""
    digits = [int(c) for c in card_number if c.isdigit()]
    if len(digits) < 12:
        return False
    checksum = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        checksum += digit
    return checksum % 10 == 0


def get_payment(payment_id: str) -> Payment:
    """The payment with this id; raises KeyError if it was never recorded."""
    return _LEDGER[payment_id]


def authorize(order_id: str, amount: Decimal, card_number: str) -> Payment:
    """Put a hold of ``amount`` on the card; raises PaymentDeclined for a bad card."""
    if amount <= 0:
        raise ValueError("amount must be positive")
    if not card_is_valid(card_number):
        raise PaymentDeclined("card number failed validation")
    digits = "".join(c for c in card_number if c.isdigit())
    payment = Payment(f"PAY-{next(_SEQUENCE):06d}", order_id, amount, digits[-4:])
    _LEDGER[payment.payment_id] = payment
    return payment


def capture(payment_id: str) -> Payment:
    """Collect the money of an authorised payment."""
    payment = get_payment(payment_id)
    if payment.status is not PaymentStatus.AUTHORIZED:
        raise ValueError(f"cannot capture a {payment.status.value} payment")
    payment.status = PaymentStatus.CAPTURED
    return payment


def void(payment_id: str) -> Payment:
    """Drop the hold of an authorised payment that will not be captured."""
    payment = get_payment(payment_id)
    if payment.status is not PaymentStatus.AUTHORIZED:
        raise ValueError(f"cannot void a {payment.status.value} payment")
    payment.status = PaymentStatus.VOIDED
    return payment


def refund(payment_id: str, amount: Decimal | None = None) -> Payment:
    """Refund all or part of a captured payment."""
    payment = get_payment(payment_id)
    if payment.status not in (PaymentStatus.CAPTURED, PaymentStatus.REFUNDED):
        raise ValueError(f"cannot refund a {payment.status.value} payment")
    remaining = payment.amount - payment.refunded
    to_refund = remaining if amount is None else min(amount, remaining)
    payment.refunded += to_refund
    if payment.refunded == payment.amount:
        payment.status = PaymentStatus.REFUNDED
    return payment


def payments_for_order(order_id: str) -> list[Payment]:
    """All payments recorded against an order, oldest first."""
    return [p for p in _LEDGER.values() if p.order_id == order_id]
