"""New accounts choose their own password: staff never know it.

`send_set_password_link(request, user)` e-mails the owner of a new account a one-time link to the
password page (accounts:password_reset_confirm, Django's default_token_generator). The token is
bound to the account's password hash and last login, so it stops working once the password is
set, and it expires after PASSWORD_RESET_TIMEOUT (3 days by default). The mail is written in the
recipient's language (`accounts.language.language_of`: Vietnamese until they pick another), not in
the language of the staff member who sends it.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .language import language_of


def set_password_url(request, user) -> str:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def send_set_password_link(request, user) -> None:
    """E-mail `user` (who has an unusable password) the link to set their password."""
    context = {
        "user": user,
        "url": set_password_url(request, user),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "login_url": request.build_absolute_uri(reverse("accounts:login")),
    }
    with translation.override(language_of(user)):
        subject = render_to_string("accounts/email/set_password_subject.txt", context).strip()
        body = render_to_string("accounts/email/set_password.txt", context)
    send_mail(subject, body, None, [user.email])
