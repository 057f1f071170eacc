"""Catalog API views."""
from django.shortcuts import get_object_or_404
from rest_framework import generics, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsSeller
from core.pagination import StandardResultsSetPagination

from . import selectors, services
from .forms import ProductImportForm
from .importers import import_products
from .models import Category
from .serializers import (
    ProductDetailSerializer,
    ProductImageSerializer,
    ProductListSerializer,
    ProductWriteSerializer,
)


class CategoryTreeView(APIView):
    permission_classes = [permissions.AllowAny]

    def get(self, request):
        return Response(selectors.category_tree())


class ProductSearchView(generics.ListAPIView):
    serializer_class = ProductListSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = StandardResultsSetPagination

    def get_queryset(self):
        params = self.request.query_params
        category = None
        if params.get("category"):
            category = get_object_or_404(Category, slug=params["category"], is_active=True)
        return selectors.search_products(
            params.get("q", ""),
            category=category,
            min_price=params.get("min_price"),
            max_price=params.get("max_price"),
            tags=params.getlist("tag"),
            ordering=params.get("ordering", "-published_at"),
        )


class ProductDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    def get(self, request, slug):
        product = selectors.get_published_product(slug)
        return Response(ProductDetailSerializer(product).data)


class SellerProductViewSet(viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated, IsSeller]

    def get_queryset(self):
        return selectors.products_for_seller(self.request.user)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ProductWriteSerializer
        return ProductDetailSerializer

    def perform_create(self, serializer):
        serializer.instance = services.create_product(seller=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_product(serializer.instance, actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.delete_product(instance)

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        product = services.publish_product(selectors.get_product_for_seller(request.user, pk))
        return Response(ProductDetailSerializer(product).data)

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        product = services.archive_product(selectors.get_product_for_seller(request.user, pk))
        return Response(ProductDetailSerializer(product).data)

    @action(detail=True, methods=["post"])
    def images(self, request, pk=None):
        product = selectors.get_product_for_seller(request.user, pk)
        serializer = ProductImageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        image = services.add_image(product, **serializer.validated_data)
        return Response(ProductImageSerializer(image).data, status=status.HTTP_201_CREATED)

    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request):
        form = ProductImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        report = import_products(request.user, form.cleaned_data["file"].read(), publish=form.cleaned_data["publish"])
        code = status.HTTP_201_CREATED if report.ok else status.HTTP_207_MULTI_STATUS
        return Response({"created": report.created, "errors": report.errors}, status=code)
