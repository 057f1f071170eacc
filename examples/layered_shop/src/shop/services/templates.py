"""Message templates for e-mail and SMS notifications."""
from __future__ import annotations

import html
import string
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shop.utils.money import format_money

SMS_LIMIT = 160


@dataclass(frozen=True)
class MessageTemplate:
    name: str
    topic: str
    subject: str
    body: str
    sms: str = ""

    def placeholders(self) -> set[str]:
        found = set()
        for text in (self.subject, self.body, self.sms):
            found.update(f[1] for f in string.Formatter().parse(text) if f[1])
        return found


TEMPLATES: dict[str, MessageTemplate] = {}


def register_template(template: MessageTemplate) -> MessageTemplate:
    if template.name in TEMPLATES:
        raise ValueError(f"template {template.name} registered twice")
    TEMPLATES[template.name] = template
    return template


register_template(MessageTemplate(
    "order_confirmation", "order", "Your order {order_number}",
    "Hi {first_name},\n\nthanks for your order {order_number}.\nTotal: {total}\n\nYour shop team",
    "Order {order_number} confirmed, total {total}.",
))
register_template(MessageTemplate(
    "payment_reminder", "order", "Order {order_number} is waiting for payment",
    "Hi {first_name},\n\nwe have not received the payment of {total} for order {order_number} yet.",
))
register_template(MessageTemplate(
    "shipment_update", "shipping", "Your parcel: {status}",
    "Hi {first_name},\n\nparcel {tracking_number} is now '{status}'.\nTrack it: {tracking_url}",
    "Parcel {tracking_number}: {status}. {tracking_url}",
))
register_template(MessageTemplate(
    "ops_digest", "ops", "Notification digest since {since}",
    "Messages per template and status since {since}:\n\n{rows}",
))


def get_template(name: str) -> MessageTemplate:
    try:
        return TEMPLATES[name]
    except KeyError:
        raise KeyError(f"no template named {name!r}") from None


def _prepare(context: dict[str, Any]) -> dict[str, str]:
    """Stringify the context; amounts become formatted money in the context currency."""
    currency = str(context.get("currency", "EUR"))
    prepared = {}
    for key, value in context.items():
        if isinstance(value, Decimal):
            prepared[key] = format_money(value, currency)
        else:
            prepared[key] = str(value)
    return prepared


def render(name: str, context: dict[str, Any]) -> tuple[str, str]:
    """Subject and plain-text body for an e-mail."""
    template = get_template(name)
    missing = template.placeholders() - set(context)
    if missing:
        raise KeyError(f"template {name} is missing {sorted(missing)}")
    values = _prepare(context)
    return template.subject.format(**values), template.body.format(**values)


def render_sms(name: str, context: dict[str, Any]) -> str:
    template = get_template(name)
    text = (template.sms or template.subject).format(**_prepare(context))
    return text if len(text) <= SMS_LIMIT else text[: SMS_LIMIT - 1] + "…"


def render_html(name: str, context: dict[str, Any]) -> str:
    subject, body = render(name, context)
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n"))
    return f"<html><head><title>{html.escape(subject)}</title></head><body>{paragraphs}</body></html>"
