"""Inventory reports for purchasing and finance, written as plain SQL."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from shop.db.session import Session
from shop.models.stock import StockMovement, StockLevel
from shop.utils.money import ZERO, format_money, quantize

LOW_STOCK_SQL = text(
    "SELECT product_id, SUM(on_hand) AS on_hand, SUM(reserved) AS reserved,"
    " MIN(reorder_point) AS reorder_point FROM stock_levels"
    " GROUP BY product_id HAVING SUM(on_hand - reserved) <= MIN(reorder_point)"
    " ORDER BY SUM(on_hand - reserved)"
)

VALUATION_SQL = text(
    "SELECT w.code AS warehouse, SUM(sl.on_hand * p.price) AS value, SUM(sl.on_hand) AS units"
    " FROM stock_levels sl"
    " JOIN warehouses w ON w.id = sl.warehouse_id"
    " JOIN products p ON p.id = sl.product_id"
    " WHERE sl.on_hand > 0"
    " GROUP BY w.code ORDER BY w.code"
)

OUTBOUND_SQL = text(
    "SELECT sl.product_id, -SUM(sm.delta) AS sold FROM stock_movements sm"
    " JOIN stock_levels sl ON sl.id = sm.stock_level_id"
    " WHERE sm.reason = 'sale' AND sm.occurred_at >= :since"
    " GROUP BY sl.product_id"
)


def low_stock_report(session: Session) -> list[dict[str, Any]]:
    """Products at or below their reorder point across all warehouses."""
    return [dict(row._mapping) for row in session.execute(LOW_STOCK_SQL)]


def stock_valuation(session: Session, currency: str = "EUR") -> dict[str, Any]:
    """Value of the goods on the shelves, at list price, per warehouse."""
    rows = session.execute(VALUATION_SQL).all()
    total = quantize(sum((Decimal(str(r.value or 0)) for r in rows), ZERO))
    return {
        "warehouses": [
            {"code": r.warehouse, "units": int(r.units), "value": format_money(r.value or 0, currency)}
            for r in rows
        ],
        "total": format_money(total, currency),
    }


def movement_history(session: Session, product_id: int, days: int = 30) -> list[dict[str, Any]]:
    since = datetime.now(timezone.utc) - timedelta(days=days)
    level_ids = [level.id for level in session.query(StockLevel).filter_by(product_id=product_id).all()]
    if not level_ids:
        return []
    movements = (
        session.query(StockMovement)
        .filter(StockMovement.stock_level_id.in_(level_ids), StockMovement.occurred_at >= since)
        .order_by(StockMovement.occurred_at.desc())
        .all()
    )
    return [
        {"delta": m.delta, "reason": m.reason, "reference": m.reference, "at": m.occurred_at.isoformat()}
        for m in movements
    ]


def days_of_cover(session: Session, window_days: int = 28) -> dict[int, float | None]:
    """How many days current stock lasts at the recent sales rate, per product."""
    since = datetime.now(timezone.utc) - timedelta(days=window_days)
    sold = {r.product_id: int(r.sold) for r in session.execute(OUTBOUND_SQL, {"since": since})}
    cover: dict[int, float | None] = {}
    for level in session.query(StockLevel).all():
        daily = sold.get(level.product_id, 0) / window_days
        so_far = cover.get(level.product_id) or 0.0
        cover[level.product_id] = None if daily == 0 else round(so_far + level.available / daily, 1)
    return cover
