"""How long a login lasts (ASVS 5.0 V7): idle timeout, absolute lifetime, end at deactivation.

Logout (`LogoutView` flushes the session) and a password change (Django's session auth hash: the
other sessions no longer match, `update_session_auth_hash` keeps the current one) need nothing here.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.models import Session
from django.utils import timezone

LAST_SEEN_KEY = "_portal_last_seen"
STARTED_KEY = "_portal_started"
# Renewing the expiry writes the session row: once a minute is enough for a 30-minute timeout and
# spares a database write on every request (SESSION_SAVE_EVERY_REQUEST), as well as a concurrent
# request overwriting a session another one has just changed.
RENEW_EVERY = 60


class IdleSessionMiddleware:
    """A logged-in session expires SESSION_COOKIE_AGE (SESSION_IDLE_MINUTES) after the last
    request, renewed at most every RENEW_EVERY seconds, and SESSION_MAX_HOURS after login
    whatever the activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            started = session.setdefault(STARTED_KEY, now)
            if now - started > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
            elif now - session.get(LAST_SEEN_KEY, 0) >= RENEW_EVERY:
                session[LAST_SEEN_KEY] = now  # modified: saved with a fresh expiry
        return self.get_response(request)


def end_sessions_of(user, keep: str | None = None) -> int:
    """Delete every stored session of `user` except the one whose key is `keep`; the number
    deleted."""
    ended = 0
    user_id = str(user.pk)
    sessions = Session.objects.filter(expire_date__gt=timezone.now())
    if keep:
        sessions = sessions.exclude(session_key=keep)
    for session in sessions.iterator():
        if session.get_decoded().get(SESSION_KEY) == user_id:
            session.delete()
            ended += 1
    return ended


def end_sessions_of_inactive_user(sender, instance, **kwargs):
    """post_save of the user model: a deactivated account keeps no session, so reactivating it
    later does not bring an old login back."""
    if not instance.is_active:
        end_sessions_of(instance)
