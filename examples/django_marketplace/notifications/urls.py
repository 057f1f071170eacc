"""Notifications URL configuration."""
from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("unread-count/", views.UnreadCountView.as_view(), name="unread-count"),
    path("mark-read/", views.MarkReadView.as_view(), name="mark-read"),
    path("mark-all-read/", views.MarkAllReadView.as_view(), name="mark-all-read"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
]
