"""The order state machine."""
from django.utils import timezone

from core.exceptions import InvalidStateTransition

from .models import Order, OrderStatusHistory

Status = Order.Status

TRANSITIONS = {
    Status.PENDING_PAYMENT: {Status.PAID, Status.CANCELLED},
    Status.PAID: {Status.FULFILLING, Status.CANCELLED, Status.REFUNDED},
    Status.FULFILLING: {Status.SHIPPED, Status.CANCELLED, Status.REFUNDED},
    Status.SHIPPED: {Status.DELIVERED, Status.REFUNDED},
    Status.DELIVERED: {Status.REFUNDED},
    Status.CANCELLED: set(),
    Status.REFUNDED: set(),
}

TIMESTAMP_FIELDS = {
    Status.PAID: "paid_at",
    Status.SHIPPED: "shipped_at",
    Status.DELIVERED: "delivered_at",
    Status.CANCELLED: "cancelled_at",
}


def can_transition(order, new_status) -> bool:
    return new_status in TRANSITIONS.get(order.status, set())


def allowed_next_statuses(order) -> list[str]:
    return sorted(TRANSITIONS.get(order.status, set()))


def transition(order, new_status, *, actor=None, note: str = ""):
    """Move ``order`` to ``new_status``, stamping timestamps and history."""
    if order.status == new_status:
        return order
    if not can_transition(order, new_status):
        raise InvalidStateTransition(f"Order {order.number} cannot move from {order.status} to {new_status}.")
    previous = order.status
    order.status = new_status
    update_fields = ["status", "updated_at"]
    timestamp_field = TIMESTAMP_FIELDS.get(new_status)
    if timestamp_field:
        setattr(order, timestamp_field, timezone.now())
        update_fields.append(timestamp_field)
    order.save(update_fields=update_fields)
    OrderStatusHistory.objects.create(order=order, from_status=previous, to_status=new_status, changed_by=actor, note=note[:255])
    return order
