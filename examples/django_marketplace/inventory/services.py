"""Inventory write operations. Every change is recorded as a StockMovement."""
import logging

from django.db import transaction
from django.db.models import F

from core.exceptions import DomainError

from . import selectors
from .exceptions import InsufficientStock, WarehouseInactive
from .models import StockItem, StockMovement

logger = logging.getLogger(__name__)


def ensure_stock_item(product, warehouse=None):
    """Make sure ``product`` has a (possibly empty) stock row in a warehouse."""
    warehouse = warehouse or selectors.default_warehouse()
    if warehouse is None:
        logger.warning("No active warehouse; cannot create stock item for product %s", product.pk)
        return None
    item, _ = StockItem.objects.get_or_create(product=product, warehouse=warehouse)
    return item


def _record(item, kind, quantity, *, order=None, reference="", note="", actor=None) -> StockMovement:
    return StockMovement.objects.create(
        stock_item=item, kind=kind, quantity=quantity, order=order, reference=reference, note=note, created_by=actor
    )


@transaction.atomic
def receive_stock(*, product, warehouse, quantity: int, reference: str = "", actor=None) -> StockItem:
    if quantity <= 0:
        raise DomainError("Received quantity must be positive.", code="invalid_quantity")
    if not warehouse.is_active:
        raise WarehouseInactive(f"Warehouse {warehouse.code} is inactive.")
    item, _ = StockItem.objects.select_for_update().get_or_create(product=product, warehouse=warehouse)
    StockItem.objects.filter(pk=item.pk).update(quantity=F("quantity") + quantity)
    _record(item, StockMovement.Kind.RECEIPT, quantity, reference=reference, actor=actor)
    item.refresh_from_db()
    return item


@transaction.atomic
def adjust_stock(stock_item, *, new_quantity: int, reason: str, actor=None) -> StockItem:
    """Set the counted quantity after a stock take."""
    item = StockItem.objects.select_for_update().get(pk=stock_item.pk)
    delta = new_quantity - item.quantity
    if delta == 0:
        return item
    if new_quantity < item.reserved:
        raise InsufficientStock(f"{item.reserved} units are reserved; cannot set quantity to {new_quantity}.")
    item.quantity = new_quantity
    item.save(update_fields=["quantity", "updated_at"])
    _record(item, StockMovement.Kind.ADJUSTMENT, delta, note=reason, actor=actor)
    return item


@transaction.atomic
def transfer_stock(*, product, source, destination, quantity: int, actor=None) -> tuple:
    if source.pk == destination.pk:
        raise DomainError("Source and destination must differ.", code="invalid_transfer")
    if quantity <= 0:
        raise DomainError("Transfer quantity must be positive.", code="invalid_quantity")
    if not destination.is_active:
        raise WarehouseInactive(f"Warehouse {destination.code} is inactive.")
    # Lock rows in a stable order to avoid deadlocks between concurrent transfers.
    StockItem.objects.get_or_create(product=product, warehouse=destination)
    items = {
        item.warehouse_id: item
        for item in StockItem.objects.select_for_update().filter(product=product, warehouse__in=[source, destination]).order_by("pk")
    }
    outgoing, incoming = items.get(source.pk), items[destination.pk]
    if outgoing is None or outgoing.available < quantity:
        raise InsufficientStock(f"Only {outgoing.available if outgoing else 0} units available in {source.code}.")
    StockItem.objects.filter(pk=outgoing.pk).update(quantity=F("quantity") - quantity)
    StockItem.objects.filter(pk=incoming.pk).update(quantity=F("quantity") + quantity)
    reference = f"TR-{source.code}-{destination.code}"
    StockMovement.objects.bulk_create([
        StockMovement(stock_item=outgoing, kind=StockMovement.Kind.TRANSFER_OUT, quantity=-quantity, reference=reference, created_by=actor),
        StockMovement(stock_item=incoming, kind=StockMovement.Kind.TRANSFER_IN, quantity=quantity, reference=reference, created_by=actor),
    ])
    outgoing.refresh_from_db()
    incoming.refresh_from_db()
    return outgoing, incoming


@transaction.atomic
def restock_order(order, *, reason: str = "order cancelled") -> int:
    """Put back the units taken for ``order``. Idempotent."""
    if selectors.movements_for_order(order, kind=StockMovement.Kind.RETURN).exists():
        return 0
    returns = []
    for movement in selectors.movements_for_order(order, kind=StockMovement.Kind.SALE):
        units = -movement.quantity
        StockItem.objects.filter(pk=movement.stock_item_id).update(quantity=F("quantity") + units)
        returns.append(
            StockMovement(stock_item_id=movement.stock_item_id, kind=StockMovement.Kind.RETURN, quantity=units,
                          order=order, reference=order.number, note=reason)
        )
    StockMovement.objects.bulk_create(returns)
    logger.info("Restocked %d movement(s) for order %s", len(returns), order.number)
    return len(returns)
