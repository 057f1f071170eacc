"""Accounts URL configuration."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "accounts"

router = DefaultRouter()
router.register("addresses", views.AddressViewSet, basename="address")

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("verify-email/", views.VerifyEmailView.as_view(), name="verify-email"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/become-seller/", views.BecomeSellerView.as_view(), name="become-seller"),
    path("", include(router.urls)),
]
