"""Integration with the external product search index."""
import json
import logging
import re
import urllib.error
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

STOPWORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with"})
TOKEN_RE = re.compile(r"[\w-]+", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Lowercase word tokens without stopwords, in order of first appearance."""
    seen = []
    for token in TOKEN_RE.findall((text or "").lower()):
        if token not in STOPWORDS and token not in seen:
            seen.append(token)
    return seen


def build_search_document(product) -> dict:
    """Flatten a product into the document shape the search index expects."""
    image = product.primary_image()
    return {
        "id": product.pk,
        "title": product.title,
        "slug": product.slug,
        "sku": product.sku,
        "category": product.category.full_path,
        "category_id": product.category_id,
        "seller_id": product.seller_id,
        "price": str(product.price),
        "currency": product.currency,
        "on_sale": product.on_sale,
        "rating": float(product.rating_average),
        "tags": [tag.slug for tag in product.tags.all()],
        "keywords": tokenize(f"{product.title} {product.description}"),
        "image": image.url if image else None,
        "published_at": product.published_at.isoformat() if product.published_at else None,
    }


def _request(method: str, path: str = "", payload=None):
    url = f"{settings.SEARCH_INDEX_URL.rstrip('/')}{path}"
    data = json.dumps(payload).encode("utf-8") if payload is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if settings.SEARCH_API_KEY:
        request.add_header("Authorization", f"Bearer {settings.SEARCH_API_KEY}")
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode("utf-8")
    return json.loads(body) if body else {}


def push_documents(documents: list[dict]) -> int:
    """Upsert documents; network errors propagate so Celery can retry."""
    if not documents:
        return 0
    _request("POST", "/documents", documents)
    logger.debug("Indexed %d product documents", len(documents))
    return len(documents)


def delete_document(product_id: int) -> bool:
    try:
        _request("DELETE", f"/documents/{product_id}")
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return False
        raise
    return True
