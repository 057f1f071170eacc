"""Notification center API."""
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .serializers import MarkReadSerializer, NotificationPreferenceSerializer, NotificationSerializer


class NotificationListView(generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        return selectors.notifications_for(self.request.user, unread_only=self.request.query_params.get("unread") == "1")


class UnreadCountView(APIView):
    def get(self, request):
        return Response({"unread": selectors.unread_count(request.user)})


class MarkReadView(APIView):
    def post(self, request):
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.mark_read(request.user, serializer.validated_data["ids"])
        return Response({"updated": updated})


class MarkAllReadView(APIView):
    def post(self, request):
        return Response({"updated": services.mark_all_read(request.user)})


class PreferencesView(APIView):
    def get(self, request):
        return Response(NotificationPreferenceSerializer(services.get_preferences(request.user)).data)

    def patch(self, request):
        serializer = NotificationPreferenceSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        preferences = services.update_preferences(request.user, **serializer.validated_data)
        return Response(NotificationPreferenceSerializer(preferences).data)
