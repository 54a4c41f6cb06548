"""New accounts choose their own password: staff never know it.

`send_set_password_link(request, user)` e-mails the owner of a new account a one-time link to the
password page (accounts:password_reset_confirm, Django's default_token_generator). The token is
bound to the account's password hash and last login, so it stops working once the password is
set, and it expires after PASSWORD_RESET_TIMEOUT (3 days by default). The mail is written in the
recipient's language (`accounts.language.language_of`: Vietnamese until they pick another), not in
the language of the staff member who sends it.

Every link in these mails, like the "Quên mật khẩu" mail's (`RateLimitedPasswordResetView`),
starts with PORTAL_URL (`core.links.portal_link`), never with the Host the staff member's request
came with.
A link of an account that has been deactivated meanwhile is an invalid link
(`SetPasswordView`): it neither shows the form nor sets a password.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.links import portal_link

from .language import language_of


def set_password_url(user) -> str:
    return portal_link(
        "accounts:password_reset_confirm",
        urlsafe_base64_encode(force_bytes(user.pk)),
        default_token_generator.make_token(user),
    )


def send_set_password_link(request, user) -> None:
    """E-mail `user` (who has an unusable password) the link to set their password."""
    context = {
        "user": user,
        "url": set_password_url(user),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "login_url": portal_link("accounts:login"),
    }
    with translation.override(language_of(user)):
        subject = render_to_string("accounts/email/set_password_subject.txt", context).strip()
        body = render_to_string("accounts/email/set_password.txt", context)
    send_mail(subject, body, None, [user.email])


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The page a set-password or reset link opens. Django checks the token only: the link of an
    account deactivated since it was sent would still set its password. Here an inactive account
    makes the link invalid, when it is opened and when the form is posted."""

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None
