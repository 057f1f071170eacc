"""HTTP endpoints for the category tree."""
from __future__ import annotations

from shop.db.session import session_scope
from shop.services import catalog_service
from shop.utils.http import BadRequest, Request, Response, Router, json_response
from shop.utils.validation import require_fields

router = Router("/categories")


@router.get("")
def category_tree(request: Request) -> Response:
    with session_scope() as session:
        return json_response({"categories": catalog_service.category_tree(session)})


@router.post("")
def create_category(request: Request) -> Response:
    data = request.json()
    require_fields(data, "name")
    with session_scope() as session:
        category = catalog_service.create_category(session, data["name"], data.get("parent"))
        return json_response(
            {"slug": category.slug, "name": category.name, "breadcrumb": category.breadcrumb},
            status=201,
        )


@router.put("/{slug}/parent")
def move_category(request: Request, slug: str) -> Response:
    data = request.json()
    if "parent" not in data:
        raise BadRequest("body must contain 'parent' (a slug or null)")
    with session_scope() as session:
        category = catalog_service.move_category(session, slug, data["parent"])
        return json_response({"slug": category.slug, "breadcrumb": category.breadcrumb})


@router.get("/{slug}/products")
def products_in_category(request: Request, slug: str) -> Response:
    """Products of a category, optionally filtered by a search term."""
    limit = min(max(request.int_arg("limit", 48), 1), 200)
    with session_scope() as session:
        products = catalog_service.list_products(
            session, category_slug=slug, search=request.arg("q") or ""
        )
        items = [catalog_service.product_to_dict(session, p) for p in products[:limit]]
    return json_response({"category": slug, "items": items, "total": len(products)})


@router.get("/{slug}/facets")
def category_facets(request: Request, slug: str) -> Response:
    """Price range and count of products, used by the filter sidebar."""
    with session_scope() as session:
        products = catalog_service.list_products(session, category_slug=slug)
        prices = sorted(p.price for p in products)
    if not prices:
        return json_response({"category": slug, "count": 0, "min_price": None, "max_price": None})
    return json_response(
        {
            "category": slug,
            "count": len(prices),
            "min_price": str(prices[0]),
            "max_price": str(prices[-1]),
            "median_price": str(prices[len(prices) // 2]),
        }
    )
