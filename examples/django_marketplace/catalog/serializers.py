"""Catalog API serializers."""
from rest_framework import serializers

from .models import Category, Product, ProductImage


class CategorySerializer(serializers.ModelSerializer):
    full_path = serializers.CharField(read_only=True)

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "parent", "full_path"]


class ProductImageSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductImage
        fields = ["id", "url", "alt_text", "position", "is_primary", "variants"]
        read_only_fields = ["id", "variants"]


class ProductListSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    image = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "title", "slug", "price", "compare_at_price", "currency", "on_sale",
                  "rating_average", "rating_count", "category", "image"]

    def get_image(self, product):
        image = product.primary_image()
        return image.variants.get("card", image.url) if image else None


class ProductDetailSerializer(ProductListSerializer):
    images = ProductImageSerializer(many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    seller = serializers.CharField(source="seller.display_name", read_only=True)

    class Meta(ProductListSerializer.Meta):
        fields = ProductListSerializer.Meta.fields + [
            "sku", "description", "weight_grams", "attributes", "status", "images", "tags", "seller", "published_at",
        ]


class ProductWriteSerializer(serializers.ModelSerializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    images = serializers.ListField(child=serializers.URLField(max_length=500), required=False)

    class Meta:
        model = Product
        fields = ["title", "sku", "category", "price", "compare_at_price", "description",
                  "weight_grams", "attributes", "tags", "images", "publish_at"]

    def validate(self, attrs):
        price, compare_at = attrs.get("price"), attrs.get("compare_at_price")
        if price is not None and compare_at is not None and compare_at <= price:
            raise serializers.ValidationError({"compare_at_price": "Must be higher than the price."})
        return attrs
