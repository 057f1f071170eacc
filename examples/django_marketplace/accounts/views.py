"""Accounts API views."""
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .permissions import IsOwnerOrStaff
from .serializers import (
    AddressSerializer,
    BecomeSellerSerializer,
    ProfileSerializer,
    RegistrationSerializer,
    UserSerializer,
)


class RegisterView(APIView):
    permission_classes = [permissions.AllowAny]

    def post(self, request):
        serializer = RegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.register_user(**serializer.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class VerifyEmailView(APIView):
    permission_classes = [permissions.AllowAny]

    def post(self, request):
        user = services.verify_email(request.data.get("token", ""))
        return Response({"verified": True, "user": user.pk})


class MeView(APIView):
    def get(self, request):
        return Response(UserSerializer(request.user).data)

    def patch(self, request):
        serializer = ProfileSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_profile(request.user, **serializer.validated_data)
        request.user.refresh_from_db()
        return Response(UserSerializer(request.user).data)


class BecomeSellerView(APIView):
    def post(self, request):
        serializer = BecomeSellerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.promote_to_seller(request.user, serializer.validated_data["store_name"])
        return Response(UserSerializer(user).data)


class AddressViewSet(viewsets.ModelViewSet):
    serializer_class = AddressSerializer
    permission_classes = [permissions.IsAuthenticated, IsOwnerOrStaff]

    def get_queryset(self):
        return selectors.list_addresses(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.add_address(self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.delete_address(self.request.user, instance.pk)

    @action(detail=True, methods=["post"], url_path="make-default")
    def make_default(self, request, pk=None):
        kind = request.data.get("kind", "shipping")
        services.set_default_address(request.user, pk, kind=kind)
        address = selectors.get_address_for_user(request.user, pk)
        return Response(self.get_serializer(address).data)
