from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import Heartbeat


@shared_task
def heartbeat(name: str = "beat") -> str:
    """Record that beat scheduled and a worker ran this task (see /healthz)."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": now})
    return now.isoformat()


@shared_task
def clear_expired_sessions() -> None:
    """Delete expired sessions (beat, daily): what `manage.py clearsessions` does."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
