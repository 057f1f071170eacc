"""Card payments for orders: authorise, capture, charge and refund."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum


class PaymentStatus(str, Enum):
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    REFUNDED = "refunded"


class PaymentDeclined(Exception):
    """The card was rejected by the (simulated) acquirer."""


@dataclass
class Payment:
    payment_id: str
    order_id: str
    amount: Decimal
    card_last4: str
    status: PaymentStatus = PaymentStatus.AUTHORIZED
    refunded: Decimal = Decimal("0.00")


_LEDGER: dict[str, Payment] = {}
_SEQUENCE = itertools.count(1)


def _new_payment_id() -> str:
    return f"PAY-{next(_SEQUENCE):06d}"


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


def authorize(order_id: str, amount: Decimal, card_number: str) -> Payment:
    """Put a hold on the card for ``amount``."""
    if amount <= 0:
        raise ValueError("amount must be positive")
    if not card_is_valid(card_number):
        raise PaymentDeclined("card number failed validation")
    payment = Payment(_new_payment_id(), order_id, amount, card_number[-4:])
    _LEDGER[payment.payment_id] = payment
    return payment


def capture(payment_id: str) -> Payment:
    """Collect the money of an authorised payment."""
    payment = _LEDGER[payment_id]
    if payment.status is not PaymentStatus.AUTHORIZED:
        raise ValueError(f"cannot capture a {payment.status.value} payment")
    payment.status = PaymentStatus.CAPTURED
    return payment


def charge(order_id: str, amount: Decimal, card_number: str) -> Payment:
    """Authorise and immediately capture a payment."""
    payment = authorize(order_id, amount, card_number)
    return capture(payment.payment_id)


def refund(payment_id: str, amount: Decimal | None = None) -> Payment:
    """Refund all or part of a captured payment."""
    payment = _LEDGER[payment_id]
    if payment.status is PaymentStatus.AUTHORIZED:
        raise ValueError("payment was never captured")
    remaining = payment.amount - payment.refunded
    to_refund = remaining if amount is None else min(amount, remaining)
    payment.refunded += to_refund
    if payment.refunded == payment.amount:
        payment.status = PaymentStatus.REFUNDED
    return payment


def payments_for_order(order_id: str) -> list[Payment]:
    """All payments recorded against an order, oldest first."""
    return [p for p in _LEDGER.values() if p.order_id == order_id]
