"""Celery application for the marketplace."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("marketplace")

# All Celery settings live in Django settings under the ``CELERY_`` prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")

# Discover ``tasks.py`` in every installed app.
app.autodiscover_tasks()


@app.task(bind=True, ignore_result=True)
def debug_task(self):
    """Print the request context; handy for checking worker wiring."""
    print(f"Request: {self.request!r}")
