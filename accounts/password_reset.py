"""Password-reset mails, rate limited per e-mail address and per client address.

At most PASSWORD_RESET_MAX_PER_EMAIL requests per hour for one e-mail address (whether or not an
account has it) and PASSWORD_RESET_MAX_PER_ADDRESS per hour from one client address (as django-axes
sees it, so the proxy setting counts the same way as for the login lockout). Counters live in
Django's cache in fixed one-hour windows. Over a limit the page answers exactly as on success
(no hint whether the address has an account) but no mail is sent, and a warning is logged.
"""

import hashlib
import logging
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600
KEY_PREFIX = "password-reset"


def _count(kind: str, value: str) -> int:
    """Add one request to the current window of (kind, value) and return the window's count."""
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]  # no e-mail address in cache keys
    window = int(time.time() // WINDOW_SECONDS)
    key = f"{KEY_PREFIX}:{kind}:{digest}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 60)
        return 1


def reset_mail_allowed(*, email: str, address: str | None) -> bool:
    """Count this request; False when the e-mail address or the client address is over its
    hourly limit. Both counters advance on every request, allowed or not."""
    per_email = _count("email", email.strip().lower())
    per_address = _count("address", address or "unknown")
    return (
        per_email <= settings.PASSWORD_RESET_MAX_PER_EMAIL
        and per_address <= settings.PASSWORD_RESET_MAX_PER_ADDRESS
    )


def _masked(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:2]}***@{domain}"


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's reset view; over a limit it skips the mail and answers as if it had sent it. The
    mail's link starts with PORTAL_URL."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # Django's label "Email" has no Vietnamese translation; "email address" (the account's
        # field, as on the user form) has one in both languages.
        form.fields["email"].label = capfirst(gettext("email address"))
        return form

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        address = get_client_ip_address(self.request)
        if not reset_mail_allowed(email=email, address=address):
            logger.warning(
                "password reset: rate limit reached for %s from %s; no mail sent",
                _masked(email),
                address,
            )
            return HttpResponseRedirect(self.get_success_url())
        # The mail's link starts with PORTAL_URL (registration/password_reset_email.txt), never
        # with the Host the request came with.
        self.extra_email_context = {
            **(self.extra_email_context or {}),
            "portal_url": settings.PORTAL_URL,
        }
        return super().form_valid(form)
