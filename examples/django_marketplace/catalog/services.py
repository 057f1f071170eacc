"""Catalog write operations."""
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core.exceptions import DomainError, InvalidStateTransition, PermissionDeniedError, ResourceNotFound
from core.money import ZERO, quantize

from . import selectors
from .models import Category, PriceChange, Product, ProductImage, Tag

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = {"title", "description", "category", "compare_at_price", "weight_grams", "attributes", "is_featured", "publish_at"}


def _resolve_tags(names) -> list[Tag]:
    tags = []
    for name in sorted({name.strip().lower() for name in names if name and name.strip()}):
        tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        tags.append(tag)
    return tags


@transaction.atomic
def create_category(*, name: str, parent=None, description: str = "", sort_order: int = 0) -> Category:
    base = slugify(name) or "category"
    slug = base if parent is None else f"{parent.slug}-{base}"
    if Category.objects.filter(slug=slug).exists():
        raise DomainError(f"Category {slug} already exists.", code="duplicate_category")
    return Category.objects.create(name=name, slug=slug, parent=parent, description=description, sort_order=sort_order)


@transaction.atomic
def create_product(*, seller, category, title, sku, price, description="", weight_grams=0,
                   tags=(), images=(), attributes=None, compare_at_price=None, currency="EUR") -> Product:
    """Create a draft product together with its tags and images."""
    if not getattr(seller, "is_seller", False):
        raise PermissionDeniedError("Only sellers can list products.")
    if Product.all_objects.filter(sku=sku).exists():
        raise DomainError(f"SKU {sku} is already in use.", code="duplicate_sku")
    if quantize(price) < ZERO:
        raise DomainError("Price cannot be negative.", code="invalid_price")
    product = Product.objects.create(
        seller=seller,
        category=category,
        title=title.strip(),
        sku=sku.strip().upper(),
        price=quantize(price),
        compare_at_price=quantize(compare_at_price) if compare_at_price is not None else None,
        currency=currency,
        description=description,
        weight_grams=weight_grams,
        attributes=attributes or {},
    )
    product.tags.set(_resolve_tags(tags))
    for position, url in enumerate(images):
        add_image(product, url=url, position=position, is_primary=position == 0)
    logger.info("Seller %s created product %s", seller.pk, product.sku)
    return product


@transaction.atomic
def update_product(product, *, actor, **fields) -> Product:
    if actor.pk != product.seller_id and not actor.is_staff:
        raise PermissionDeniedError("You can only edit your own products.")
    if "price" in fields:
        change_price(product, fields.pop("price"), actor=actor)
    if "tags" in fields:
        product.tags.set(_resolve_tags(fields.pop("tags")))
    fields.pop("images", None)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(f"Fields cannot be edited: {', '.join(sorted(unknown))}", code="invalid_fields")
    for name, value in fields.items():
        setattr(product, name, value)
    product.save()
    return product


@transaction.atomic
def change_price(product, new_price, *, actor=None) -> Product:
    new_price = quantize(new_price)
    if new_price < ZERO:
        raise DomainError("Price cannot be negative.", code="invalid_price")
    if new_price == product.price:
        return product
    PriceChange.objects.create(product=product, old_price=product.price, new_price=new_price, changed_by=actor)
    product.price = new_price
    product.save(update_fields=["price", "updated_at"])
    return product


def publish_product(product) -> Product:
    if product.status == Product.Status.PUBLISHED:
        return product
    if product.status == Product.Status.ARCHIVED:
        raise InvalidStateTransition("Archived products cannot be published again.")
    if not product.images.exists():
        raise DomainError("A product needs at least one image before it can be published.", code="missing_image")
    product.status = Product.Status.PUBLISHED
    product.published_at = product.published_at or timezone.now()
    product.save(update_fields=["status", "published_at", "updated_at"])
    return product


def archive_product(product) -> Product:
    product.status = Product.Status.ARCHIVED
    product.is_featured = False
    product.save(update_fields=["status", "is_featured", "updated_at"])
    return product


def delete_product(product) -> None:
    archive_product(product)
    product.soft_delete()


def publish_scheduled(now=None) -> int:
    now = now or timezone.now()
    published = 0
    for product in selectors.products_due_for_publication(now):
        try:
            publish_product(product)
        except DomainError as exc:
            logger.warning("Scheduled publication of %s failed: %s", product.sku, exc.message)
            continue
        published += 1
    return published


def add_image(product, *, url: str, alt_text: str = "", position=None, is_primary: bool = False) -> ProductImage:
    if position is None:
        position = product.images.count()
    if is_primary:
        product.images.update(is_primary=False)
    return ProductImage.objects.create(
        product=product, url=url, alt_text=alt_text or product.title, position=position, is_primary=is_primary
    )


@transaction.atomic
def set_primary_image(product, image_id) -> None:
    product.images.update(is_primary=False)
    if not product.images.filter(pk=image_id).update(is_primary=True):
        raise ResourceNotFound(f"Image {image_id} does not belong to this product.")


def reorder_images(product, ordered_ids) -> int:
    images = {image.pk: image for image in product.images.all()}
    changed = []
    for position, image_id in enumerate(ordered_ids):
        image = images.get(int(image_id))
        if image is None:
            raise ResourceNotFound(f"Image {image_id} does not belong to this product.")
        if image.position != position:
            image.position = position
            changed.append(image)
    ProductImage.objects.bulk_update(changed, ["position"])
    return len(changed)
