"""Asynchronous catalog jobs: search indexing and image processing."""
from celery import shared_task
from celery.utils.log import get_task_logger

from core.utils import chunked

from . import search, services
from .models import Product, ProductImage

logger = get_task_logger(__name__)

VARIANT_WIDTHS = {"thumb": 160, "card": 480, "zoom": 1600}


@shared_task(name="catalog.tasks.reindex_product", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def reindex_product(product_id: int) -> str:
    product = (
        Product.all_objects.select_related("category", "seller")
        .prefetch_related("tags", "images")
        .filter(pk=product_id)
        .first()
    )
    if product is None or not product.is_published:
        search.delete_document(product_id)
        return "deleted"
    search.push_documents([search.build_search_document(product)])
    return "indexed"


@shared_task(name="catalog.tasks.reindex_all_products")
def reindex_all_products(batch_size: int = 200) -> int:
    total = 0
    ids = Product.objects.published().order_by("pk").values_list("pk", flat=True)
    for batch in chunked(ids.iterator(), batch_size):
        products = Product.objects.filter(pk__in=batch).select_related("category").prefetch_related("tags", "images")
        total += search.push_documents([search.build_search_document(product) for product in products])
    logger.info("Reindexed %d products", total)
    return total


@shared_task(name="catalog.tasks.generate_image_variants", ignore_result=True)
def generate_image_variants(image_id: int) -> None:
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None:
        return
    separator = "&" if "?" in image.url else "?"
    variants = {name: f"{image.url}{separator}w={width}" for name, width in VARIANT_WIDTHS.items()}
    ProductImage.objects.filter(pk=image_id).update(variants=variants)


@shared_task(name="catalog.tasks.publish_scheduled_products")
def publish_scheduled_products() -> int:
    return services.publish_scheduled()
