"""Two-factor authentication: who must give a one-time code, and the gate that enforces it.

A login has two steps. The password (django.contrib.auth, throttled by django-axes) logs the user
in; a user who must use two-factor authentication is then *unverified* until they enter a 6-digit
code from their authenticator app (django-otp TOTPDevice) or one of their 10 one-time backup codes
(BackupCodeDevice: stored hashed, shown once), which calls `django_otp.login` and marks the session
verified.

Who must verify:
- staff (superusers count as staff) and officials while `settings.OTP_REQUIRED_ROLES` lists their
  role (env `TWO_FACTOR_REQUIRED`, default on when DEBUG is off). Without a device yet they are
  sent to the enrolment page first;
- any other user who enrolled a device (facility users may, on "Bảo mật tài khoản"); this is
  decided when they log in (`_remember_enrolment`), so it costs no query per request.

While unverified, `TwoFactorMiddleware` redirects every page outside a short allow-list to the
code page and answers 403 on every JSON API path, whatever headers the request sends, unless it
carries a valid API token (`Authorization: Token <key>` of an active user's unexpired, unrevoked
token, accounts/tokens.py, which parses the header exactly as DRF does): a token is a credential of
its own, DRF then authenticates the token, and the session's user is taken off the request so that
nothing falls back on it. Any other header (`Bearer …`, `Basic …`, empty, a wrong token) would let
DRF fall back on the session, so it is refused here.

Wrong codes are throttled by django-otp on each device: after n successive failures the device
refuses every code, even the right one, for OTP_*_THROTTLE_FACTOR × 2^(n-1) seconds.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.problems import problem_response

from . import tokens
from .hashing import BACKUP_CODE_ITERATIONS, backup_code_hash, new_backup_code, new_salt
from .models import BackupCode, BackupCodeDevice, Role

logger = logging.getLogger("accounts.two_factor")

BACKUP_CODE_COUNT = 10
# Set at login for a user who enrolled a device although their role does not require it.
PENDING_SESSION_KEY = "two_factor_pending"
# Backup codes just generated, shown (and downloadable) until the user confirms they saved them
# or leaves the page (TwoFactorMiddleware drops them at the next other page); then never again.
NEW_CODES_SESSION_KEY = "two_factor_new_backup_codes"
NEW_CODES_VIEWS = frozenset(
    {
        "accounts:two_factor_backup_codes",
        "accounts:two_factor_backup_codes_download",
        "javascript-catalog",  # loaded by the codes page itself
    }
)

# Views an unverified session may still open (URL names).
ALLOWED_UNVERIFIED = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "admin:logout",
        "set_language",
        "javascript-catalog",
        "healthz",
    }
)
API_PREFIX = "/api/"


def required_by_role(user) -> bool:
    """Whether the user's role must use two-factor authentication (the setting)."""
    if not user.is_authenticated:
        return False
    roles = set(settings.OTP_REQUIRED_ROLES)
    return user.role in roles or (user.is_superuser and Role.STAFF in roles)


def totp_device(user, *, confirmed=True):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def has_totp_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_device(user):
    return BackupCodeDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def backup_codes_left(user) -> int:
    return BackupCode.objects.filter(device__user=user, device__confirmed=True).count()


def is_verified(request) -> bool:
    user = request.user
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def must_verify(request) -> bool:
    """Logged in, not verified yet, and obliged to give a code."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return False
    return required_by_role(user) or bool(request.session.get(PENDING_SESSION_KEY))


def safe_next(request, value, default="home"):
    """`value` when it is a path of this site ("/…", printable), else the page `default` names.
    A bare word such as "abc" is refused too: redirect() would take it for a URL name."""
    if (
        value
        and value.startswith("/")
        and value.isprintable()
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return reverse(default)


def step_url(name, next_url=None) -> str:
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def second_step_url(user, next_url=None) -> str:
    """Where a user who must verify goes after the password: the code page, or enrolment."""
    name = "accounts:two_factor_verify" if has_totp_device(user) else "accounts:two_factor_setup"
    return step_url(name, next_url)


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with BACKUP_CODE_COUNT new one-time codes, stored hashed;
    the plain codes are returned, to be shown once."""
    BackupCodeDevice.objects.filter(user=user).delete()
    device = BackupCodeDevice.objects.create(
        user=user,
        name=_("Mã dự phòng"),
        confirmed=True,
        salt=new_salt(),
        iterations=BACKUP_CODE_ITERATIONS,
    )
    codes = set()
    while len(codes) < BACKUP_CODE_COUNT:
        codes.add(new_backup_code())
    codes = sorted(codes)
    BackupCode.objects.bulk_create(
        BackupCode(device=device, code_hash=backup_code_hash(code, device.salt, device.iterations))
        for code in codes
    )
    return codes


@transaction.atomic
def remove_devices(user) -> int:
    """Delete every OTP device of the user (authenticator app and backup codes); the number of
    devices removed (a backup-code set is one device, not its ten codes)."""
    removed = 0
    for model in (TOTPDevice, BackupCodeDevice):
        _total, per_model = model.objects.filter(user=user).delete()
        removed += per_model.get(model._meta.label, 0)
    return removed


def forget_verification(request):
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session.pop(NEW_CODES_SESSION_KEY, None)
    if hasattr(request.user, "otp_device"):
        request.user.otp_device = None


def _remember_enrolment(sender, request, user, **kwargs):
    """At every login (portal, admin): a user with a device must give a code in this session."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if has_totp_device(user):
        session[PENDING_SESSION_KEY] = True
    else:
        session.pop(PENDING_SESSION_KEY, None)


user_logged_in.connect(_remember_enrolment, dispatch_uid="accounts.two_factor.enrolment")


class TwoFactorMiddleware:
    """Keeps unverified sessions on the second login step. Install after OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        view_name = match.view_name if match is not None else None
        session = getattr(request, "session", None)
        if (
            session is not None
            and NEW_CODES_SESSION_KEY in session
            and view_name not in NEW_CODES_VIEWS
        ):
            session.pop(NEW_CODES_SESSION_KEY)  # left the codes page: never shown again
        if view_name in ALLOWED_UNVERIFIED:
            return None
        if not must_verify(request):
            return None
        if request.path_info.startswith(API_PREFIX):
            if tokens.authenticates(request):
                # A valid token stands in for the second factor; DRF authenticates it. The
                # unverified session's user is taken off the request, so that nothing can fall
                # back on it (DRF's SessionAuthentication reads request.user).
                request.user = AnonymousUser()
                return None
            return problem_response(403, _("Phiên đăng nhập chưa xác thực hai lớp."))
        return redirect(step_url("accounts:two_factor_verify", request.get_full_path()))
