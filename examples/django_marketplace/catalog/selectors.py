"""Read-only catalog queries."""
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch, Q

from core.exceptions import ResourceNotFound

from .models import Category, PriceChange, Product, ProductImage

ALLOWED_ORDERINGS = {"-published_at", "published_at", "price", "-price", "-rating_average", "title"}


def category_descendant_ids(category) -> list[int]:
    """Primary keys of ``category`` and all of its descendants (breadth first)."""
    ids = [category.pk]
    frontier = [category.pk]
    while frontier:
        frontier = list(Category.objects.filter(parent_id__in=frontier, is_active=True).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def category_tree() -> list[dict]:
    """Nested representation of all active categories."""
    categories = list(Category.objects.filter(is_active=True).order_by("sort_order", "name"))
    nodes = {category.pk: {"id": category.pk, "name": category.name, "slug": category.slug, "children": []} for category in categories}
    roots = []
    for category in categories:
        node = nodes[category.pk]
        if category.parent_id and category.parent_id in nodes:
            nodes[category.parent_id]["children"].append(node)
        else:
            roots.append(node)
    return roots


def published_products():
    return (
        Product.objects.published()
        .select_related("category", "seller")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position")), "tags")
    )


def products_in_category(category):
    return published_products().filter(category_id__in=category_descendant_ids(category))


def _to_decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def search_products(query="", *, category=None, min_price=None, max_price=None, tags=None, ordering="-published_at"):
    queryset = products_in_category(category) if category is not None else published_products()
    query = (query or "").strip()
    if query:
        queryset = queryset.filter(
            Q(title__icontains=query) | Q(description__icontains=query) | Q(sku__iexact=query) | Q(tags__name__iexact=query)
        ).distinct()
    low, high = _to_decimal(min_price), _to_decimal(max_price)
    if low is not None:
        queryset = queryset.filter(price__gte=low)
    if high is not None:
        queryset = queryset.filter(price__lte=high)
    if tags:
        queryset = queryset.filter(tags__slug__in=tags).distinct()
    if ordering not in ALLOWED_ORDERINGS:
        ordering = "-published_at"
    return queryset.order_by(ordering, "pk")


def get_published_product(slug: str) -> Product:
    try:
        return published_products().get(slug=slug)
    except Product.DoesNotExist as exc:
        raise ResourceNotFound(f"Product {slug} not found.") from exc


def get_product_for_seller(seller, product_id) -> Product:
    try:
        return Product.objects.select_related("category").get(pk=product_id, seller=seller)
    except Product.DoesNotExist as exc:
        raise ResourceNotFound(f"Product {product_id} not found.") from exc


def products_for_seller(seller):
    return Product.objects.for_seller(seller).select_related("category").prefetch_related("images", "tags").order_by("-updated_at")


def featured_products(limit: int = 12):
    return published_products().filter(is_featured=True).order_by("-rating_average", "-published_at")[:limit]


def products_by_ids(ids) -> dict:
    return {product.pk: product for product in Product.objects.filter(pk__in=list(ids))}


def price_history(product, limit: int = 50):
    return PriceChange.objects.filter(product=product).select_related("changed_by")[:limit]


def products_due_for_publication(now):
    return Product.objects.filter(status=Product.Status.DRAFT, publish_at__isnull=False, publish_at__lte=now)
