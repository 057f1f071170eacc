"""Keeps stock levels in line with the warehouse management system."""
from __future__ import annotations

import csv
import os
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import text

from shop.db.session import Session, session_scope
from shop.models.stock import StockLevel, Warehouse
from shop.services import stock_service
from shop.utils.logging_config import get_logger
from shop.utils.scheduler import periodic

log = get_logger(__name__)

FEED_DIR = Path(os.environ.get("WMS_FEED_DIR", "/var/spool/wms"))

DRIFT_SQL = text(
    "SELECT sl.id, sl.product_id, w.code AS warehouse, sl.on_hand,"
    " COALESCE(SUM(sm.delta), 0) AS booked"
    " FROM stock_levels sl"
    " JOIN warehouses w ON w.id = sl.warehouse_id"
    " LEFT JOIN stock_movements sm ON sm.stock_level_id = sl.id"
    " GROUP BY sl.id, sl.product_id, w.code, sl.on_hand"
    " HAVING sl.on_hand <> COALESCE(SUM(sm.delta), 0)"
)


def _read_feed(path: Path) -> list[tuple[int, str, int]]:
    """Rows of ``product_id;warehouse;counted`` exported by the WMS."""
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line_no, row in enumerate(csv.DictReader(handle, delimiter=";"), start=2):
            try:
                rows.append((int(row["product_id"]), row["warehouse"].strip(), int(row["counted"])))
            except (KeyError, ValueError):
                log.warning("%s:%d: skipping malformed row %r", path.name, line_no, row)
    return rows


def apply_feed(session: Session, path: Path) -> int:
    corrections = 0
    known = {w.code for w in session.query(Warehouse).all()}
    for product_id, warehouse, counted in _read_feed(path):
        if warehouse not in known:
            log.warning("feed %s mentions unknown warehouse %s", path.name, warehouse)
            continue
        if stock_service.adjust_stock(session, product_id, warehouse, counted, reason="wms-sync"):
            corrections += 1
    return corrections


@periodic(minutes=15, name="inventory.sync_wms_feed")
def sync_from_warehouse_feed() -> int:
    """Apply every new WMS export, then move it to the archive folder."""
    processed = 0
    for path in sorted(FEED_DIR.glob("stock_*.csv")):
        with session_scope() as session:
            corrections = apply_feed(session, path)
        path.rename(path.with_suffix(".done"))
        log.info("applied %s: %d corrections", path.name, corrections)
        processed += 1
    return processed


@periodic(minutes=5, name="inventory.expire_reservations")
def expire_reservations() -> int:
    with session_scope() as session:
        expired = stock_service.expire_reservations(session, datetime.now(timezone.utc))
    if expired:
        log.info("released %d expired stock reservations", expired)
    return expired


@periodic(hours=6, name="inventory.drift_report")
def report_drift() -> list[dict[str, object]]:
    """Stock levels whose on-hand differs from the sum of booked movements."""
    with session_scope() as session:
        rows = [dict(row._mapping) for row in session.execute(DRIFT_SQL)]
        negative = session.query(StockLevel).filter(StockLevel.on_hand < 0).count()
    for row in rows:
        log.warning("stock drift at %(warehouse)s for product %(product_id)s: "
                    "on_hand=%(on_hand)s booked=%(booked)s", row)
    if negative:
        log.error("%d stock levels are negative", negative)
    return rows
