"""Carrier API clients (label purchase and tracking)."""
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings

from core.exceptions import ExternalServiceError

logger = logging.getLogger(__name__)

STATUS_MAP = {
    "pre_transit": "label_purchased",
    "accepted": "in_transit",
    "in_transit": "in_transit",
    "out_for_delivery": "out_for_delivery",
    "delivered": "delivered",
    "failure": "exception",
    "return_to_sender": "returned",
}


@dataclass
class LabelResult:
    tracking_number: str
    label_url: str
    cost: Decimal


@dataclass
class TrackingUpdate:
    status: str
    occurred_at: datetime
    description: str = ""
    location: str = ""
    raw: dict = field(default_factory=dict)


class CarrierClient:
    """Generic client for carriers exposing the common label/tracking API."""

    def __init__(self, carrier):
        self.carrier = carrier
        self.api_key = settings.SHIPPING["CARRIER_API_KEYS"].get(carrier.code, "")
        self.timeout = settings.SHIPPING.get("TIMEOUT", 15)

    def _call(self, method: str, path: str, payload=None) -> dict:
        if not self.carrier.api_base_url:
            raise ExternalServiceError(f"Carrier {self.carrier.code} has no API configured.")
        data = json.dumps(payload).encode("utf-8") if payload is not None else None
        request = urllib.request.Request(f"{self.carrier.api_base_url.rstrip('/')}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        request.add_header("X-Api-Key", self.api_key)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8") or "{}")
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            logger.warning("Carrier %s call %s failed: %s", self.carrier.code, path, exc)
            raise ExternalServiceError(f"Carrier {self.carrier.code} request failed: {exc}") from exc

    def purchase_label(self, *, shipment_reference: str, address: dict, weight_grams: int) -> LabelResult:
        response = self._call("POST", "/labels", {
            "reference": shipment_reference,
            "recipient": address,
            "parcel": {"weight_grams": max(weight_grams, 1)},
            "format": "PDF",
        })
        return LabelResult(
            tracking_number=response["tracking_number"],
            label_url=response.get("label_url", ""),
            cost=Decimal(str(response.get("cost", "0.00"))),
        )

    def fetch_tracking(self, tracking_number: str) -> list[TrackingUpdate]:
        response = self._call("GET", f"/tracking/{tracking_number}")
        updates = []
        for event in response.get("events", []):
            status = STATUS_MAP.get(event.get("status", ""))
            if status is None:
                continue
            updates.append(TrackingUpdate(
                status=status,
                occurred_at=datetime.fromisoformat(event["timestamp"]),
                description=event.get("description", "")[:255],
                location=event.get("location", "")[:120],
                raw=event,
            ))
        return updates


def client_for(carrier) -> CarrierClient:
    return CarrierClient(carrier)
