"""HTTP endpoints for browsing and managing products."""
from __future__ import annotations

from datetime import datetime

from shop.db.session import session_scope
from shop.services import catalog_service, pricing
from shop.utils.http import Request, Response, Router, json_response, path_int
from shop.utils.money import to_decimal
from shop.utils.validation import ValidationError, validate_country, validate_quantity

router = Router("/products")


@router.get("")
def list_products(request: Request) -> Response:
    page = max(request.int_arg("page", 1), 1)
    size = min(max(request.int_arg("size", 24), 1), 100)
    with session_scope() as session:
        products = catalog_service.list_products(
            session, category_slug=request.arg("category"), search=request.arg("q") or ""
        )
        window = products[(page - 1) * size : page * size]
        items = [catalog_service.product_to_dict(session, p) for p in window]
    return json_response({"items": items, "page": page, "size": size, "total": len(products)})


@router.get("/{product_id}")
def get_product(request: Request, product_id: str) -> Response:
    with session_scope() as session:
        product = catalog_service.get_product(session, path_int(product_id, "product_id"))
        return json_response(catalog_service.product_to_dict(session, product))


@router.get("/sku/{sku}")
def get_product_by_sku(request: Request, sku: str) -> Response:
    with session_scope() as session:
        product = catalog_service.get_product_by_sku(session, sku)
        return json_response(catalog_service.product_to_dict(session, product))


@router.get("/{product_id}/price")
def price_quote(request: Request, product_id: str) -> Response:
    """Unit and total price for a quantity, including VAT for a country."""
    quantity = validate_quantity(request.arg("quantity", "1"))
    country = validate_country(request.arg("country", "DE") or "DE")
    with session_scope() as session:
        product = catalog_service.get_product(session, path_int(product_id, "product_id"))
        return json_response(pricing.price_breakdown(session, product, quantity, country))


@router.post("")
def create_product(request: Request) -> Response:
    with session_scope() as session:
        product = catalog_service.create_product(session, request.json())
        return json_response(catalog_service.product_to_dict(session, product), status=201)


@router.put("/{product_id}")
def update_product(request: Request, product_id: str) -> Response:
    with session_scope() as session:
        product = catalog_service.update_product(session, path_int(product_id), request.json())
        return json_response(catalog_service.product_to_dict(session, product))


@router.delete("/{product_id}")
def delete_product(request: Request, product_id: str) -> Response:
    with session_scope() as session:
        catalog_service.delete_product(session, path_int(product_id))
    return json_response({}, status=204)


@router.post("/{product_id}/discounts")
def schedule_discount(request: Request, product_id: str) -> Response:
    data = request.json()
    try:
        starts_at = datetime.fromisoformat(data["starts_at"])
        ends_at = datetime.fromisoformat(data["ends_at"]) if data.get("ends_at") else None
    except (KeyError, ValueError) as exc:
        raise ValidationError("starts_at", "must be an ISO timestamp") from exc
    with session_scope() as session:
        product = catalog_service.get_product(session, path_int(product_id))
        rule = pricing.create_price_rule(
            session,
            to_decimal(data.get("percent_off", "0")),
            starts_at,
            ends_at,
            product_id=product.id,
            min_quantity=int(data.get("min_quantity", 1)),
        )
        session.flush()
        return json_response({"id": rule.id, "percent_off": str(rule.percent_off)}, status=201)
