"""The audit log: `record(request, action, actor=..., target=..., **detail)` appends one
`AuditEvent` (who, when, what, from where).

Views pass their request. Code without one (model signals, commands, Celery tasks) passes
`current_request()`: the request being handled in this thread or task, set by
core.middleware.RequestContextMiddleware, or None outside a request (the actor is then the one
given, or nobody, and there is no address).
"""

import ipaddress
from contextvars import ContextVar

from axes.helpers import get_client_ip_address
from django.db import models

from .models import AuditEvent

Action = AuditEvent.Action

_current_request: ContextVar = ContextVar("core_current_request", default=None)


def current_request():
    """The HttpRequest being handled (RequestContextMiddleware), or None."""
    return _current_request.get()


def client_address(request) -> str | None:
    """The real client address, behind the proxies the login lockout trusts (django-axes)."""
    if request is None:
        return None
    address = get_client_ip_address(request)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def describe(target) -> str:
    """Short text naming the target: "<model> #<pk> <label>" for a model instance."""
    if isinstance(target, models.Model):
        label = f"{target._meta.model_name} #{target.pk}"
        # An account is named by its username (its str() is the person's full name).
        text = target.get_username() if hasattr(target, "get_username") else str(target)
        return f"{label} {text}"[:200] if text else label
    return str(target or "")[:200]


def record(request, action: str, *, actor=None, target="", **detail) -> AuditEvent:
    """Append an audit entry. The actor defaults to the request's signed-in user."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        action=Action(action),
        target=describe(target),
        client_address=client_address(request),
        detail=detail,
    )
