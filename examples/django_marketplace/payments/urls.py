"""Payments URL configuration."""
from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("orders/<str:number>/pay/", views.StartPaymentView.as_view(), name="start-payment"),
    path("orders/<str:number>/", views.PaymentStatusView.as_view(), name="payment-status"),
    path("<int:payment_id>/refunds/", views.RefundView.as_view(), name="refund"),
    path("reports/revenue/", views.RevenueReportView.as_view(), name="revenue-report"),
    path("webhooks/payhub/", views.gateway_webhook, name="webhook"),
]
