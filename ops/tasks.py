from celery import shared_task
from django.utils import timezone

from .models import Heartbeat


@shared_task
def heartbeat(name: str = "beat") -> str:
    """Record that beat scheduled and a worker ran this task (see /healthz)."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": now})
    return now.isoformat()
