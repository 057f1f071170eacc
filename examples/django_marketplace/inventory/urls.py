"""Inventory URL configuration."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "inventory"

router = DefaultRouter()
router.register("stock", views.StockItemViewSet, basename="stock")

urlpatterns = [
    path("availability/", views.ProductAvailabilityView.as_view(), name="availability"),
    path("", include(router.urls)),
]
