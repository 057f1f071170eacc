"""Project configuration package.

Importing the Celery app here makes sure it is loaded when Django starts so
that ``@shared_task`` decorated functions bind to it.
"""
from .celery import app as celery_app

__all__ = ("celery_app",)
