"""Inventory: availability, reservations for orders and stock movements."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from shop.db.repository import NotFoundError, Repository
from shop.db.session import Session
from shop.models.stock import StockLevel, StockMovement, StockReservation, Warehouse
from shop.utils.logging_config import get_logger
from shop.utils.validation import validate_quantity

log = get_logger(__name__)

RESERVATION_TTL = timedelta(minutes=30)


class OutOfStock(Exception):
    def __init__(self, product_id: int, requested: int, available: int) -> None:
        super().__init__(f"product {product_id}: {requested} requested, {available} available")
        self.product_id = product_id
        self.requested = requested
        self.available = available


class StockRepository(Repository[StockLevel]):
    model = StockLevel

    def for_product(self, product_id: int) -> list[StockLevel]:
        levels = self.list(product_id=product_id)
        return sorted(levels, key=lambda level: level.warehouse.priority)

    def at(self, product_id: int, warehouse_code: str) -> StockLevel:
        warehouse = self.session.query(Warehouse).filter_by(code=warehouse_code).first()
        if warehouse is None:
            raise NotFoundError(Warehouse, warehouse_code)
        level = self.find_one(product_id=product_id, warehouse_id=warehouse.id)
        if level is None:
            level = self.add(StockLevel(product_id=product_id, warehouse_id=warehouse.id))
        return level

    def reservations(self, reference: str) -> list[StockReservation]:
        found = self.session.query(StockReservation).filter_by(reference=reference).all()
        return [r for r in found if r.is_active]


def _record_movement(session: Session, level: StockLevel, delta: int, reason: str, reference: str | None) -> None:
    session.add(StockMovement(stock_level_id=level.id, delta=delta, reason=reason, reference=reference))


def available_quantity(session: Session, product_id: int) -> int:
    return sum(level.available for level in StockRepository(session).for_product(product_id))


def reserve(session: Session, product_id: int, quantity: int, reference: str) -> list[StockReservation]:
    """Hold units across warehouses in priority order."""
    repo = StockRepository(session)
    available = available_quantity(session, product_id)
    if quantity > available:
        raise OutOfStock(product_id, quantity, available)
    expires = datetime.now(timezone.utc) + RESERVATION_TTL
    remaining, held = quantity, []
    for level in repo.for_product(product_id):
        take = min(remaining, level.available)
        if take <= 0:
            continue
        level.reserved += take
        held.append(StockReservation(stock_level=level, reference=reference, quantity=take, expires_at=expires))
        remaining -= take
        if remaining == 0:
            break
    session.add_all(held)
    return held


def reserve_for_order(session: Session, reference: str, items: list[tuple[int, int]]) -> None:
    """Reserve every line of an order or nothing at all."""
    try:
        for product_id, quantity in items:
            reserve(session, product_id, validate_quantity(quantity), reference)
    except OutOfStock:
        release_reservation(session, reference)
        raise


def release_reservation(session: Session, reference: str) -> int:
    released = 0
    for reservation in StockRepository(session).reservations(reference):
        reservation.stock_level.reserved -= reservation.quantity
        reservation.released = True
        released += reservation.quantity
    return released


def commit_reservation(session: Session, reference: str) -> int:
    """The order was paid: reserved units leave the warehouse."""
    committed = 0
    for reservation in StockRepository(session).reservations(reference):
        level = reservation.stock_level
        level.reserved -= reservation.quantity
        level.on_hand -= reservation.quantity
        reservation.committed = True
        _record_movement(session, level, -reservation.quantity, "sale", reference)
        committed += reservation.quantity
    return committed


def receive_stock(session: Session, product_id: int, warehouse_code: str, quantity: int,
                  reference: str | None = None) -> StockLevel:
    level = StockRepository(session).at(product_id, warehouse_code)
    level.on_hand += validate_quantity(quantity, maximum=100_000)
    _record_movement(session, level, quantity, "receipt", reference)
    return level


def adjust_stock(session: Session, product_id: int, warehouse_code: str, counted: int,
                 reason: str = "stocktake") -> int:
    """Set on-hand to a counted value; returns the correction applied."""
    level = StockRepository(session).at(product_id, warehouse_code)
    delta = counted - level.on_hand
    if delta:
        level.on_hand = counted
        _record_movement(session, level, delta, reason, None)
        log.warning("stock of product %s at %s corrected by %+d", product_id, warehouse_code, delta)
    return delta


def expire_reservations(session: Session, now: datetime) -> int:
    expired = [r for r in session.query(StockReservation).filter_by(released=False, committed=False).all()
               if r.is_expired(now)]
    for reservation in expired:
        reservation.stock_level.reserved -= reservation.quantity
        reservation.released = True
    return len(expired)


def stock_to_dict(session: Session, product_id: int) -> dict[str, Any]:
    levels = StockRepository(session).for_product(product_id)
    return {
        "product_id": product_id,
        "available": sum(level.available for level in levels),
        "warehouses": [
            {"code": l.warehouse.code, "on_hand": l.on_hand, "reserved": l.reserved} for l in levels
        ],
    }
