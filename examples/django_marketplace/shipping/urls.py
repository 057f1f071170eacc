"""Shipping URL configuration."""
from django.urls import path

from . import views

app_name = "shipping"

urlpatterns = [
    path("rates/", views.RateQuoteView.as_view(), name="rates"),
    path("orders/<str:number>/", views.OrderShipmentView.as_view(), name="order-shipment"),
    path("shipments/<int:shipment_id>/dispatch/", views.DispatchShipmentView.as_view(), name="dispatch"),
    path("reports/carriers/", views.CarrierPerformanceView.as_view(), name="carrier-performance"),
]
