"""Password-reset mails, rate limited per e-mail address and per client address.

At most PASSWORD_RESET_MAX_PER_EMAIL requests per hour for one e-mail address (whether or not an
account has it) and PASSWORD_RESET_MAX_PER_ADDRESS per hour from one client address (as django-axes
sees it, so the proxy setting counts the same way as for the login lockout). Counters live in
Django's cache in fixed one-hour windows. Over a limit the page answers exactly as on success
(no hint whether the address has an account) but no mail is sent, and a warning is logged.

The mail is written in the request (in its language, with the token) and sent by a task on the
`mail` queue (accounts.tasks.send_password_reset_mail), queued on commit as the portal's other
mails are: the page takes as long for an address with an account as for one without, whatever
the mail server's speed (sending it in the request would tell them apart by the response time).
"""

import hashlib
import logging
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template import loader
from django.utils.text import capfirst
from django.utils.translation import gettext

from . import tasks

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


def queue_on_commit(mail: dict, user_pk) -> None:
    """Queue the mail (the task's keyword arguments) once the request's transaction commits, as
    the portal's other mails are (at once without a transaction)."""
    transaction.on_commit(lambda: _queue_mail(mail, user_pk))


def _queue_mail(mail: dict, user_pk) -> None:
    """Hand the mail to the `mail` queue. Celery's logs and monitoring show neither its text nor
    its address (argsrepr/kwargsrepr); a broker that cannot take it is logged, not shown to the
    visitor, whose page must be the same as for an address without an account."""
    try:
        tasks.send_password_reset_mail.apply_async(
            kwargs=mail, argsrepr="()", kwargsrepr="{password-reset mail}"
        )
    except Exception as error:
        logger.error(
            "password reset: the mail to user %s could not be queued (%s)",
            user_pk,
            type(error).__name__,
        )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form; the mail it writes is queued instead of sent in the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        mail = {
            "subject": subject,
            "body": loader.render_to_string(email_template_name, context),
            "to": to_email,
            "html": (
                loader.render_to_string(html_email_template_name, context)
                if html_email_template_name is not None
                else None
            ),
            "from_email": from_email,
        }
        queue_on_commit(mail, context["user"].pk)


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's reset view; over a limit it skips the mail and answers as if it had sent it. The
    mail's link starts with PORTAL_URL; the mail is sent by the `mail` queue."""

    form_class = QueuedPasswordResetForm

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
