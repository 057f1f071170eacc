"""Notifications: email templates, in-app/email/SMS notifications and preferences."""
