import logging
from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


@shared_task
def clear_expired_sessions() -> None:
    """Delete expired sessions (beat, daily): what `manage.py clearsessions` does."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


@shared_task
def send_password_reset_mail(
    subject: str, body: str, to: str, html: str | None = None, from_email: str | None = None
) -> int:
    """Send a "Quên mật khẩu" mail written in the request (accounts/password_reset.py), on the
    `mail` queue so that the page takes as long whether or not the address has an account.
    Nothing of the mail is logged (its link is a password-reset token), nor returned: a mail that
    cannot be sent is logged without it, as Django's own reset form does, and not retried."""
    message = EmailMultiAlternatives(subject, body, from_email, [to])
    if html is not None:
        message.attach_alternative(html, "text/html")
    try:
        return message.send()
    except Exception as error:
        logger.error("password reset: the mail could not be sent (%s)", type(error).__name__)
        return 0
