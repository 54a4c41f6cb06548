"""API tokens (ASVS 5.0 V6, V7): hashed, expiring, revocable credentials for the JSON API.

A token is created for a user (on "Bảo mật tài khoản" after re-entering the password, or with
`manage.py issue_token`); its key (256 random bits) is shown once and only its SHA-256 is kept.
It expires after API_TOKEN_DAYS days (or `--days`), and is revoked by its owner, by staff, and
automatically when the owner's password changes (any path: change, reset, admin, set_password),
the account is deactivated, or staff reset its two-factor device.

The API accepts `Authorization: Token <key>` (ApiTokenAuthentication). A valid token stands in
for the second factor: a session that still owes its one-time code reaches the API only with one
(accounts/two_factor.py).
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import (
    SessionAuthentication,
    TokenAuthentication,
    get_authorization_header,
)
from rest_framework.exceptions import AuthenticationFailed, MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS

from .audit import Action, record_event
from .hashing import token_hash
from .language import activate_language
from .models import ApiToken

logger = logging.getLogger("accounts.tokens")

KEYWORD = "Token"
PREFIX_LENGTH = 8
MAX_KEY_LENGTH = 100
# last_used_at is written at most once a minute per token, not on every request.
TOUCH_EVERY = timedelta(seconds=60)
Reason = ApiToken.RevokedBecause


MAX_DAYS = 3650  # ten years


def issue(user, label: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it and its key (the only time the key exists)."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not user.is_active:
        raise ValidationError(
            _("Tài khoản %(username)s đã bị khóa: không thể cấp mã truy cập API.")
            % {"username": user.get_username()}
        )
    if days < 1:
        raise ValidationError(_("Số ngày hiệu lực phải từ 1 trở lên."))
    if days > MAX_DAYS:  # a token must expire (DESIGN §2); more would overflow the date, too
        raise ValidationError(_("Số ngày hiệu lực tối đa là %(max)s (10 năm).") % {"max": MAX_DAYS})
    label = label.strip()
    longest = ApiToken._meta.get_field("label").max_length
    if len(label) > longest:  # said, not cut: the owner finds the token by its label
        raise ValidationError(
            _("Tên gợi nhớ dài tối đa %(max)s ký tự (đã nhập %(length)s).")
            % {"max": longest, "length": len(label)}
        )
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        label=label or _("Mã truy cập API"),
        prefix=key[:PREFIX_LENGTH],
        key_hash=token_hash(key),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    logger.info("API token %s issued to %s for %d days", token.prefix, user.username, days)
    # The audit log names the token by its id and label, never by its key or prefix.
    record_event(
        Action.API_TOKEN_ISSUED,
        user,
        token=token.pk,
        label=token.label,
        expires_at=token.expires_at,
    )
    return token, key


def authenticate(key: str) -> ApiToken | None:
    """The usable token of an active user with this key, or None."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(key_hash=token_hash(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def parse_header(request) -> tuple[bool, str | None]:
    """(whether the Authorization header names the Token scheme, its key when well formed).

    The one parser of the header, for the two-factor gate and for DRF alike: the header is read
    as bytes and split on ASCII whitespace only, as DRF's get_authorization_header does. Were
    the gate to split the decoded text instead, `Token\xa0<key>` (or \x1c…\x1f, \x85) would be
    a token to the gate and no header at all to DRF, which would fall back on the session."""
    parts = get_authorization_header(request).split()
    if not parts or parts[0].lower() != KEYWORD.lower().encode():
        return False, None
    try:
        key = parts[1].decode() if len(parts) == 2 else None
    except UnicodeError:
        key = None
    return True, key


def authenticates(request) -> bool:
    """Whether the request carries a valid API token (used by the two-factor gate)."""
    _named, key = parse_header(request)
    return key is not None and authenticate(key) is not None


def revoke(token: ApiToken, reason: str) -> bool:
    """Revoke one token; False when it already was. The audit log records who (the request's
    user: the owner or the staff member) and why."""
    with transaction.atomic():
        done = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_because=reason
        )
        if done:
            logger.warning(
                "API token %s of user %s revoked (%s)", token.prefix, token.user_id, reason
            )
            record_event(
                Action.API_TOKEN_REVOKED,
                token.user,
                token=token.pk,
                label=token.label,
                reason=reason,
            )
    return bool(done)


def revoke_all(user, reason: str) -> int:
    """Revoke every token of `user` not revoked yet; the number revoked. One audit entry lists
    them (id and label)."""
    with transaction.atomic():
        revoked = list(
            ApiToken.objects.select_for_update()
            .filter(user=user, revoked_at__isnull=True)
            .order_by("pk")
            .values_list("pk", "label")
        )
        if not revoked:
            return 0
        done = ApiToken.objects.filter(pk__in=[pk for pk, _label in revoked]).update(
            revoked_at=timezone.now(), revoked_because=reason
        )
        logger.warning("%d API token(s) of %s revoked (%s)", done, user.get_username(), reason)
        listed = [{"token": pk, "label": label} for pk, label in revoked]
        record_event(Action.API_TOKEN_REVOKED, user, tokens=listed, reason=reason)
    return done


class ApiTokenAuthentication(TokenAuthentication):
    """DRF: `Authorization: Token <key>` → the token's user; request.auth is the ApiToken.
    An unknown, expired or revoked key, or an inactive owner, is 401."""

    keyword = KEYWORD

    def authenticate(self, request):
        """DRF's parsing of the header, with the portal's own message for a malformed one
        (DRF's English sentences have no Vietnamese translation)."""
        named, key = parse_header(request)
        if not named:
            return None
        if key is None:
            raise AuthenticationFailed(
                _(
                    "Tiêu đề Authorization phải có dạng: Token <mã truy cập>, "
                    "không có khoảng trắng trong mã."
                )
            )
        user, token = self.authenticate_credentials(key)
        # The middleware chose the language before the token named its user: the token's user
        # gets the language they picked, as their browser session does.
        activate_language(request, user)
        return user, token

    def authenticate_credentials(self, key):
        token = authenticate(key)
        if token is None:
            raise AuthenticationFailed(
                _("Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
            )
        return token.user, token


# --- Automatic revocation (signals on the user model, connected in AccountsConfig.ready) ---------

_REVOKE_ATTR = "_api_tokens_revoke_because"


def remember_credential_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save of the user: note whether the password hash changed or the account is being
    deactivated, compared with the stored row.

    Django's own rehash at login (a new hasher or work factor for the same password:
    `check_password` saves only the password with `_password` cleared) is not a change."""
    setattr(instance, _REVOKE_ATTR, None)
    if raw or instance.pk is None:
        return
    fields = set(update_fields) if update_fields is not None else None
    if fields is not None and not fields & {"password", "is_active"}:
        return
    old = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    if old["is_active"] and not instance.is_active:
        setattr(instance, _REVOKE_ATTR, Reason.DEACTIVATED)
    elif old["password"] != instance.password:
        rehash = fields == {"password"} and getattr(instance, "_password", None) is None
        if not rehash:
            setattr(instance, _REVOKE_ATTR, Reason.PASSWORD)


def revoke_after_credential_change(sender, instance, raw=False, **kwargs):
    """post_save of the user: revoke the tokens when remember_credential_change said so."""
    reason = getattr(instance, _REVOKE_ATTR, None)
    if reason and not raw:
        setattr(instance, _REVOKE_ATTR, None)
        revoke_all(instance, reason)


class ReadOnlySessionAuthentication(SessionAuthentication):
    """The browser's session for the API, which only reads: a write method (POST, PUT, PATCH,
    DELETE) is answered 405 like any other client's, before DRF's CSRF check would answer 403
    with its own English words ("CSRF Failed: …"). Nothing is written either way; CSRF stays
    enforced for any unsafe method a view might ever accept (`allowed_methods`)."""

    def enforce_csrf(self, request):
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if getattr(view, "answers_every_method", False):
            return  # writes nothing, answers every method itself (the API's unknown address)
        allowed = getattr(view, "allowed_methods", ())
        if request.method not in SAFE_METHODS and request.method not in allowed:
            raise MethodNotAllowed(request.method)
        return super().enforce_csrf(request)
