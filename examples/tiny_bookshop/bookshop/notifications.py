"""Customer e-mails: order confirmations, cancellations, back-in-stock alerts."""
from __future__ import annotations

from decimal import Decimal
from email.message import EmailMessage
from string import Template

from bookshop.books import get_book

SENDER = "orders@tiny-bookshop.example"

_TEMPLATES: dict[str, Template] = {
    "confirmation": Template(
        "Hello,\n\nthank you for order $order_id.\n$lines\nTotal: $total EUR\n"
    ),
    "cancellation": Template(
        "Hello,\n\norder $order_id was cancelled; $total EUR will be refunded.\n"
    ),
    "back_in_stock": Template("Good news: $title is back in stock.\n"),
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


def send_order_confirmation(
    to: str, order_id: str, lines: list[tuple[str, int]], total: Decimal
) -> EmailMessage:
    """Tell the customer which titles were ordered and what it cost."""
    rendered_lines = "\n".join(
        f"  {quantity} x {get_book(isbn).display_name}" for isbn, quantity in lines
    )
    body = render("confirmation", order_id=order_id, lines=rendered_lines, total=total)
    return send(to, f"Your order {order_id}", body)


def send_cancellation(to: str, order_id: str, total: Decimal) -> EmailMessage:
    body = render("cancellation", order_id=order_id, total=total)
    return send(to, f"Order {order_id} cancelled", body)


def send_back_in_stock(to: str, isbn: str) -> EmailMessage:
    book = get_book(isbn)
    body = render("back_in_stock", title=book.display_name)
    return send(to, f"{book.title} is available again", body)


def drain_outbox() -> list[EmailMessage]:
    """Hand all queued messages to the relay and empty the outbox."""
    sent = list(OUTBOX)
    OUTBOX.clear()
    return sent
