"""Order e-mails: confirmations with a payment receipt, and cancellation notices."""

from __future__ import annotations

from decimal import Decimal
from email.message import EmailMessage
from string import Template

from bookshop import payments
from bookshop.payments import Payment

SENDER = "orders@tiny-bookshop.example"

_TEMPLATES: dict[str, Template] = {
    "confirmation": Template(
        "Hello,\n\nthank you for order $order_id.\n\n$lines\n\n"
        "Total: $total\nPaid with $card (payment $payment_id).\n"
    ),
    "cancellation": Template(
        "Hello,\n\norder $order_id was cancelled.\n$refunded will be refunded to your $card.\n"
    ),
}

OUTBOX: list[EmailMessage] = []


def render(template: str, **context: object) -> str:
    """Fill one of the named templates with ``context``."""
    return _TEMPLATES[template].substitute(**{k: str(v) for k, v in context.items()})


def send(to: str, subject: str, body: str) -> EmailMessage:
    """Queue an e-mail in the outbox (delivered by the mail relay)."""
    if "@" not in to:
        raise ValueError(f"not an e-mail address: {to!r}")
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    OUTBOX.append(message)
    return message


def receipt_lines(lines: list[tuple[str, int, Decimal]]) -> str:
    """One receipt line per ordered title: quantity, title and subtotal."""
    return "\n".join(
        f"  {quantity} x {title}  {payments.format_amount(subtotal)}"
        for title, quantity, subtotal in lines
    )


def send_order_confirmation(
    to: str, order_id: str, lines: list[tuple[str, int, Decimal]], payment: Payment
) -> EmailMessage:
    """Tell the customer what was ordered and how it was paid."""
    body = render(
        "confirmation",
        order_id=order_id,
        lines=receipt_lines(lines),
        total=payments.format_amount(payment.amount),
        card=payments.describe_card(payment),
        payment_id=payment.payment_id,
    )
    return send(to, f"Your order {order_id}", body)


def send_cancellation(to: str, order_id: str, payment: Payment) -> EmailMessage:
    """Confirm a cancellation and the refund that goes with it."""
    body = render(
        "cancellation",
        order_id=order_id,
        refunded=payments.format_amount(payment.refunded),
        card=payments.describe_card(payment),
    )
    return send(to, f"Order {order_id} cancelled", body)


def drain_outbox() -> list[EmailMessage]:
    """Hand all queued messages to the relay and empty the outbox."""
    sent = list(OUTBOX)
    OUTBOX.clear()
    return sent
