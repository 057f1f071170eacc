"""Template lookup and rendering for notifications."""
from dataclasses import dataclass

from django.template import Context, Template

from .models import EmailTemplate

FALLBACK_TEMPLATES = {
    "accounts.welcome": ("Welcome to the marketplace, {{ name }}!",
                         "Hi {{ name }},\n\nThanks for joining. Verify your email to start shopping."),
    "orders.received": ("We received order {{ order_number }}",
                        "Your order {{ order_number }} was received and is awaiting payment."),
    "orders.confirmation": ("Order {{ order_number }} confirmed",
                            "Hi {{ customer_name }},\n\n{% for line in lines %}{{ line.quantity }} x {{ line.title }}: {{ line.total }}\n{% endfor %}\nTotal: {{ grand_total }}"),
    "orders.paid": ("Payment received for {{ order_number }}",
                    "We received {{ amount }} {{ currency }} for order {{ order_number }}. We'll ship it soon."),
    "payment.refunded": ("Refund for order {{ order_number }}",
                         "We refunded {{ amount }} {{ currency }} for order {{ order_number }}."),
    "payment.failed": ("Payment for {{ order_number }} failed",
                       "Your payment for order {{ order_number }} failed: {{ reason }}. Please try again."),
    "shipping.in_transit": ("Order {{ order_number }} is on its way",
                            "Track your parcel: {{ tracking_url }}"),
    "shipping.out_for_delivery": ("Order {{ order_number }} arrives today", "Your parcel is out for delivery."),
    "shipping.delivered": ("Order {{ order_number }} was delivered", "Enjoy! Tell others what you think with a review."),
    "shipping.exception": ("Problem delivering {{ order_number }}", "The carrier reported a problem: {{ tracking_url }}"),
    "cart.abandoned": ("You left {{ item_count }} item(s) in your cart", "Your cart is waiting for you."),
    "inventory.low_stock": ("{{ count }} item(s) need restocking", "{% for line in lines %}{{ line }}\n{% endfor %}"),
}


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str = ""


def get_template(key: str, locale: str = "en"):
    candidates = EmailTemplate.objects.filter(key=key, is_active=True, locale__in={locale, "en"})
    by_locale = {template.locale: template for template in candidates}
    return by_locale.get(locale) or by_locale.get("en")


def render_string(source: str, context: dict) -> str:
    return Template(source).render(Context(context, autoescape=False)).strip()


def render(key: str, context: dict, locale: str = "en") -> RenderedMessage:
    template = get_template(key, locale)
    if template is not None:
        html = Template(template.html_template).render(Context(context)) if template.html_template else ""
        return RenderedMessage(
            subject=render_string(template.subject_template, context),
            text=render_string(template.text_template, context),
            html=html,
        )
    subject, text = FALLBACK_TEMPLATES.get(key, (key.replace(".", " ").capitalize(), ""))
    return RenderedMessage(subject=render_string(subject, context), text=render_string(text, context))
