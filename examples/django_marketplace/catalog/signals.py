"""Catalog signal receivers: keep the search index and image variants in sync."""
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Product, ProductImage
from .tasks import generate_image_variants, reindex_product


@receiver(post_save, sender=Product, dispatch_uid="catalog.reindex_on_product_save")
def reindex_on_product_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    product_id = instance.pk
    transaction.on_commit(lambda: reindex_product.delay(product_id))


@receiver(post_delete, sender=Product, dispatch_uid="catalog.remove_product_from_index")
def remove_product_from_index(sender, instance, **kwargs):
    reindex_product.delay(instance.pk)


@receiver(post_save, sender=ProductImage, dispatch_uid="catalog.build_image_variants")
def build_image_variants(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        image_id = instance.pk
        transaction.on_commit(lambda: generate_image_variants.delay(image_id))
