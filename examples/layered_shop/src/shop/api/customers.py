"""HTTP endpoints for customer accounts, addresses and loyalty points."""
from __future__ import annotations

from shop.db.base import model_to_dict
from shop.db.session import session_scope
from shop.services import customer_service, loyalty
from shop.services.customer_service import AuthenticationError
from shop.services.loyalty import InsufficientPoints
from shop.utils.http import (
    Conflict,
    Request,
    Response,
    Router,
    Unauthorized,
    customer_id_from,
    json_response,
    path_int,
)
from shop.utils.validation import require_fields

router = Router("/customers")


@router.post("")
def register(request: Request) -> Response:
    with session_scope() as session:
        customer = customer_service.register_customer(session, request.json())
        return json_response(customer_service.customer_to_dict(customer), status=201)


@router.post("/login")
def login(request: Request) -> Response:
    data = request.json()
    require_fields(data, "email", "password")
    with session_scope() as session:
        try:
            customer = customer_service.authenticate(session, data["email"], data["password"])
        except AuthenticationError as exc:
            raise Unauthorized(str(exc)) from exc
        return json_response(customer_service.customer_to_dict(customer))


@router.get("/me")
def profile(request: Request) -> Response:
    with session_scope() as session:
        customer = customer_service.get_customer(session, customer_id_from(request))
        return json_response(customer_service.customer_to_dict(customer))


@router.put("/me")
def update_profile(request: Request) -> Response:
    with session_scope() as session:
        customer = customer_service.update_profile(session, customer_id_from(request), request.json())
        return json_response(customer_service.customer_to_dict(customer))


@router.delete("/me")
def erase_account(request: Request) -> Response:
    with session_scope() as session:
        customer_service.anonymize_customer(session, customer_id_from(request))
    return json_response({}, status=204)


@router.get("/me/addresses")
def list_addresses(request: Request) -> Response:
    with session_scope() as session:
        addresses = customer_service.list_addresses(session, customer_id_from(request))
        return json_response({"addresses": [model_to_dict(a) for a in addresses]})


@router.post("/me/addresses")
def add_address(request: Request) -> Response:
    with session_scope() as session:
        address = customer_service.add_address(session, customer_id_from(request), request.json())
        return json_response(model_to_dict(address), status=201)


@router.put("/me/addresses/{address_id}/default")
def set_default_address(request: Request, address_id: str) -> Response:
    with session_scope() as session:
        address = customer_service.set_default_shipping(
            session, customer_id_from(request), path_int(address_id, "address_id")
        )
        return json_response(model_to_dict(address))


@router.get("/me/loyalty")
def loyalty_balance(request: Request) -> Response:
    with session_scope() as session:
        return json_response(loyalty.loyalty_summary(session, customer_id_from(request)))


@router.post("/me/loyalty/redeem")
def redeem(request: Request) -> Response:
    data = request.json()
    require_fields(data, "points", "reference")
    with session_scope() as session:
        try:
            value = loyalty.redeem_points(
                session, customer_id_from(request), int(data["points"]), data["reference"]
            )
        except InsufficientPoints as exc:
            raise Conflict(str(exc)) from exc
        return json_response({"discount": str(value)})
