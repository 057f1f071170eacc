"""Delivery channels: email via Django's mail framework, SMS via HTTP."""
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A message could not be handed to its delivery channel."""


def send_email_message(recipients, message, from_email=None) -> int:
    recipients = [address for address in recipients if address]
    if not recipients:
        raise DeliveryError("No recipients")
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    try:
        return email.send(fail_silently=False)
    except OSError as exc:
        raise DeliveryError(f"SMTP delivery failed: {exc}") from exc


def send_sms(phone_number: str, text: str) -> str:
    config = settings.NOTIFICATIONS["SMS"]
    payload = json.dumps({"to": phone_number, "from": config["SENDER_ID"], "text": text[:480]}).encode("utf-8")
    request = urllib.request.Request(config["API_URL"], data=payload, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", f"Bearer {config['API_KEY']}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.loads(response.read().decode("utf-8") or "{}")
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise DeliveryError(f"SMS delivery failed: {exc}") from exc
    return body.get("id", "")
