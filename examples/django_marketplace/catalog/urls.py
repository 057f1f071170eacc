"""Catalog URL configuration."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "catalog"

router = DefaultRouter()
router.register("seller/products", views.SellerProductViewSet, basename="seller-product")

urlpatterns = [
    path("categories/", views.CategoryTreeView.as_view(), name="category-tree"),
    path("products/", views.ProductSearchView.as_view(), name="product-search"),
    path("products/<slug:slug>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("", include(router.urls)),
]
