"""HTTP endpoints for warehouse staff: stock levels, receipts and stocktakes."""
from __future__ import annotations

from shop.db.session import session_scope
from shop.services import stock_reports, stock_service
from shop.utils.http import BadRequest, Request, Response, Router, json_response, path_int
from shop.utils.validation import require_fields, validate_quantity

router = Router("/inventory")


@router.get("/reports/low-stock")
def low_stock(request: Request) -> Response:
    with session_scope() as session:
        rows = stock_reports.low_stock_report(session)
    return json_response({"products": rows, "count": len(rows)})


@router.get("/reports/valuation")
def valuation(request: Request) -> Response:
    with session_scope() as session:
        return json_response(stock_reports.stock_valuation(session))


@router.get("/reports/cover")
def days_of_cover(request: Request) -> Response:
    window = min(max(request.int_arg("window_days", 28), 7), 180)
    with session_scope() as session:
        cover = stock_reports.days_of_cover(session, window)
    return json_response({"window_days": window, "products": {str(k): v for k, v in cover.items()}})


@router.get("/{product_id}/movements")
def movements(request: Request, product_id: str) -> Response:
    days = min(max(request.int_arg("days", 30), 1), 365)
    with session_scope() as session:
        history = stock_reports.movement_history(session, path_int(product_id, "product_id"), days)
    return json_response({"movements": history})


@router.get("/{product_id}")
def stock_for_product(request: Request, product_id: str) -> Response:
    with session_scope() as session:
        return json_response(stock_service.stock_to_dict(session, path_int(product_id, "product_id")))


@router.get("/{product_id}/availability")
def availability(request: Request, product_id: str) -> Response:
    """Lightweight check used by the product page to show 'in stock' badges."""
    wanted = validate_quantity(request.arg("quantity", "1"))
    with session_scope() as session:
        available = stock_service.available_quantity(session, path_int(product_id, "product_id"))
    return json_response({"available": available, "can_fulfil": available >= wanted})


@router.post("/{product_id}/receipts")
def receive(request: Request, product_id: str) -> Response:
    """Book an inbound delivery from a supplier."""
    data = request.json()
    require_fields(data, "warehouse", "quantity")
    with session_scope() as session:
        level = stock_service.receive_stock(
            session,
            path_int(product_id, "product_id"),
            data["warehouse"],
            int(data["quantity"]),
            reference=data.get("delivery_note"),
        )
        return json_response({"on_hand": level.on_hand, "available": level.available}, status=201)


@router.post("/{product_id}/stocktake")
def stocktake(request: Request, product_id: str) -> Response:
    """Record a physical count; the difference is booked as a correction."""
    data = request.json()
    require_fields(data, "warehouse", "counted")
    counted = int(data["counted"])
    if counted < 0:
        raise BadRequest("counted cannot be negative")
    with session_scope() as session:
        delta = stock_service.adjust_stock(
            session, path_int(product_id, "product_id"), data["warehouse"], counted,
            reason=data.get("reason", "stocktake"),
        )
    return json_response({"correction": delta})


@router.delete("/reservations/{reference}")
def release(request: Request, reference: str) -> Response:
    """Manually free units held for an order that will never be paid."""
    with session_scope() as session:
        released = stock_service.release_reservation(session, reference)
    return json_response({"released": released})
