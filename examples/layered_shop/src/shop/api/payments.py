"""HTTP endpoints for payments: provider webhooks, listings and refunds."""
from __future__ import annotations

from shop.db.session import session_scope
from shop.services import payment_gateway, refunds
from shop.services.payment_gateway import PaymentProviderError
from shop.services.refunds import RefundError
from shop.utils.http import (
    BadRequest,
    Conflict,
    Request,
    Response,
    Router,
    Unauthorized,
    json_response,
    path_int,
)
from shop.utils.logging_config import get_logger
from shop.utils.validation import validate_positive

log = get_logger(__name__)

router = Router("/payments")


@router.post("/webhook")
def provider_webhook(request: Request) -> Response:
    """Asynchronous events from the payment provider, signed with HMAC."""
    signature = request.headers.get("X-Signature", "")
    if not signature:
        raise Unauthorized("missing signature")
    with session_scope() as session:
        try:
            payment = payment_gateway.handle_webhook(session, request.body, signature)
        except PaymentProviderError as exc:
            log.warning("rejected payment webhook: %s", exc)
            raise Unauthorized(str(exc)) from exc
        except (KeyError, ValueError) as exc:
            raise BadRequest(f"malformed webhook payload: {exc}") from exc
        return json_response({"handled": payment is not None})


@router.get("/orders/{order_id}")
def payments_for_order(request: Request, order_id: str) -> Response:
    with session_scope() as session:
        payments = payment_gateway.payments_for_order(session, path_int(order_id, "order_id"))
        return json_response({"payments": [payment_gateway.payment_to_dict(p) for p in payments]})


@router.get("/{payment_id}")
def get_payment(request: Request, payment_id: str) -> Response:
    with session_scope() as session:
        payment = payment_gateway.get_payment(session, path_int(payment_id, "payment_id"))
        return json_response(payment_gateway.payment_to_dict(payment))


@router.post("/{payment_id}/refunds")
def refund_payment(request: Request, payment_id: str) -> Response:
    """Partial or full refund of one payment (back-office)."""
    data = request.json()
    amount = validate_positive(data["amount"], "amount") if "amount" in data else None
    with session_scope() as session:
        try:
            refund = refunds.refund_payment(
                session, path_int(payment_id, "payment_id"), amount, data.get("reason", "back-office")
            )
        except RefundError as exc:
            raise Conflict(str(exc)) from exc
        return json_response(refunds.refund_to_dict(refund), status=201)


@router.get("/{payment_id}/refunds")
def list_refunds(request: Request, payment_id: str) -> Response:
    with session_scope() as session:
        found = refunds.refunds_for_payment(session, path_int(payment_id, "payment_id"))
        return json_response({"refunds": [refunds.refund_to_dict(r) for r in found]})


@router.post("/orders/{order_id}/refund")
def refund_whole_order(request: Request, order_id: str) -> Response:
    reason = request.json().get("reason", "order refunded")
    with session_scope() as session:
        try:
            issued = refunds.refund_order(session, path_int(order_id, "order_id"), reason)
        except RefundError as exc:
            raise Conflict(str(exc)) from exc
        total = refunds.total_refunded(session, path_int(order_id, "order_id"))
        return json_response({"refunds": [refunds.refund_to_dict(r) for r in issued],
                              "total_refunded": str(total)}, status=201)
