from datetime import datetime
from decimal import Decimal

import pytest

from shop.models.shipment import ShipmentStatus
from shop.services.carriers import carriers_for, get_carrier


def test_dhl_rate_adds_per_kg_surcharge():
    dhl = get_carrier("dhl")
    assert dhl.rate("DE", 900) == Decimal("4.90")
    assert dhl.rate("DE", 2500) == Decimal("6.50")


def test_post_only_serves_neighbouring_countries():
    codes = {c.code for c in carriers_for("US", 500)}
    assert "POST" not in codes
    assert "POST" in {c.code for c in carriers_for("AT", 500)}


def test_unknown_carrier():
    with pytest.raises(ValueError):
        get_carrier("FEDEX")


def test_parse_events_sorts_and_maps_codes():
    payload = {
        "events": [
            {"code": "delivered", "timestamp": "2024-03-02T10:00:00+00:00", "location": "Berlin"},
            {"code": "transit", "timestamp": "2024-03-01T08:00:00+00:00", "location": "Leipzig"},
            {"code": "unknown-scan", "timestamp": "2024-03-01T09:00:00+00:00"},
        ]
    }
    events = get_carrier("DHL").parse_events(payload)
    assert [e.status for e in events] == [ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERED]
    assert events[0].occurred_at == datetime.fromisoformat("2024-03-01T08:00:00+00:00")
