"""The second login step, enrolment, backup codes, "Bảo mật tài khoản" and the staff reset.

The rules (who must verify, the middleware) are in accounts/two_factor.py.
"""

import math
import re
from base64 import b32encode

import qrcode
import qrcode.image.svg
from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit

from . import tokens
from .access import staff_required
from .forms import OneTimeCodeForm, PasswordConfirmForm
from .models import User
from .sessions import end_sessions_of
from .two_factor import (
    NEW_CODES_SESSION_KEY,
    PENDING_SESSION_KEY,
    backup_codes_left,
    backup_device,
    forget_verification,
    has_totp_device,
    is_verified,
    logger,
    must_verify,
    new_backup_codes,
    remove_devices,
    required_by_role,
    safe_next,
    second_step_url,
    step_url,
    totp_device,
)


class PortalAuthenticationForm(AuthenticationForm):
    """Django's login form. Its error says both fields are case-sensitive; user names are not
    here (User.objects.get_by_natural_key), so the portal's says the password is. Django's other
    errors (the inactive account's) are kept."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
    }


class PortalLoginView(auth_views.LoginView):
    """Django's login; then, for a user who must use two-factor authentication, the code page
    (or the enrolment page when they have no device yet)."""

    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if must_verify(self.request):
            return redirect(second_step_url(form.get_user(), self.get_success_url()))
        return response


def _next(request, *, required=True):
    """The safe `next` of the request; without one, the home page (or "" unless `required`)."""
    value = request.POST.get("next") or request.GET.get("next")
    return safe_next(request, value) if value or required else ""


def _client(request) -> str:
    # The real client behind the proxy, as the login lockout sees it (AXES_PROXY_COUNT).
    return get_client_ip_address(request) or "?"


def _throttled_message(device):
    """None while `device` may check a code; else why the code was not checked and how long to
    wait. django-otp's throttle (OTP_*_THROTTLE_FACTOR) holds even after one wrong code (1 s,
    then 2, 4, ...): "many times" would be false then, so the message says how many."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    seconds = 1
    if info and info.get("locked_until"):
        seconds = max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))
    failures = (info or {}).get("failure_count") or device.throttling_failure_count
    if failures > 1:
        return ngettext(
            "Bạn đã nhập sai mã %(count)d lần liên tiếp nên mã này chưa được kiểm tra. "
            "Vui lòng thử lại sau %(seconds)d giây.",
            "Bạn đã nhập sai mã %(count)d lần liên tiếp nên mã này chưa được kiểm tra. "
            "Vui lòng thử lại sau %(seconds)d giây.",
            seconds,
        ) % {"count": failures, "seconds": seconds}
    return ngettext(
        "Mã nhập lần trước không đúng nên mã này chưa được kiểm tra. "
        "Vui lòng thử lại sau %(seconds)d giây.",
        "Mã nhập lần trước không đúng nên mã này chưa được kiểm tra. "
        "Vui lòng thử lại sau %(seconds)d giây.",
        seconds,
    ) % {"seconds": seconds}


def _mark_verified(request, device):
    """The session passed the second step: new session key, then django-otp's marker."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)


@never_cache
@login_required
def verify(request):
    """Second login step: a TOTP code or a backup code."""
    next_url = _next(request)
    if not must_verify(request):
        return redirect(next_url)
    user = request.user
    device = totp_device(user)
    if device is None:
        if required_by_role(user):
            return redirect(step_url("accounts:two_factor_setup", next_url))
        request.session.pop(PENDING_SESSION_KEY, None)  # the device was removed meanwhile
        return redirect(next_url)

    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        is_totp = code.isdigit() and len(code) == device.digits
        candidate = device if is_totp else backup_device(user)
        throttled = candidate is not None and _throttled_message(candidate)
        if throttled:
            form.add_error(None, throttled)
            logger.warning(
                "2FA code for %s refused: throttled (%s)", user.username, _client(request)
            )
        else:
            verified = candidate and verify_token(user, candidate.persistent_id, code)
            if verified:
                _mark_verified(request, verified)
                logger.info("2FA verified for %s with %s", user.username, verified.persistent_id)
                if not isinstance(verified, TOTPDevice):
                    left = backup_codes_left(user)
                    messages.warning(
                        request,
                        ngettext(
                            "Bạn vừa dùng một mã dự phòng; còn %(count)d mã.",
                            "Bạn vừa dùng một mã dự phòng; còn %(count)d mã.",
                            left,
                        )
                        % {"count": left},
                    )
                return redirect(next_url)
            form.add_error("code", _("Mã không đúng, đã hết hạn hoặc đã được dùng."))
            logger.warning("Wrong 2FA code for %s (%s)", user.username, _client(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


def _qr_svg(data: str) -> str:
    """The QR code of `data` as an inline SVG element (no script, no style attribute)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg width="220" height="220"', svg)
    return svg.replace("<svg ", '<svg role="img" class="bg-white" ', 1)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
def setup(request):
    """Enrol an authenticator app: QR code and secret, confirmed by a first code."""
    user = request.user
    next_url = _next(request, required=False)
    if has_totp_device(user):
        if not is_verified(request):
            return redirect(step_url("accounts:two_factor_verify", next_url))
        messages.info(request, _("Xác thực hai lớp đã được bật cho tài khoản này."))
        return redirect("accounts:security")

    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)
    form = OneTimeCodeForm(request.POST or None, allow_backup=False)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled_message(device)
        if throttled:
            form.add_error(None, throttled)
        else:
            with transaction.atomic():
                device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
                confirmed = device.verify_token(form.cleaned_data["code"])
                if confirmed:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            if confirmed:
                codes = new_backup_codes(user)
                _mark_verified(request, device)
                # Sessions opened with the password alone (perhaps by whoever made the user
                # turn two-factor on) end; this one, just verified with a new key, stays.
                end_sessions_of(user, keep=request.session.session_key)
                request.session[NEW_CODES_SESSION_KEY] = codes
                logger.info("2FA enrolled for %s (%s)", user.username, _client(request))
                messages.success(request, _("Đã bật xác thực hai lớp."))
                return redirect(step_url("accounts:two_factor_backup_codes", next_url))
            form.add_error("code", _("Mã không đúng. Kiểm tra giờ trên điện thoại và thử lại."))

    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - qrcode path SVG  # nosec B308 B703
        "secret": _grouped(secret),
        "config_url": device.config_url,
        "required": required_by_role(user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _verified_or_redirect(request):
    """Device management needs a session verified with a code (None), else a redirect."""
    if has_totp_device(request.user) and not is_verified(request):
        return redirect(step_url("accounts:two_factor_verify", request.get_full_path()))
    return None


@never_cache
@login_required
def backup_codes(request):
    """New backup codes, shown once (until the user confirms they saved them); regenerate."""
    if (response := _verified_or_redirect(request)) is not None:
        return response
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "regenerate" and has_totp_device(user):
            request.session[NEW_CODES_SESSION_KEY] = new_backup_codes(user)
            # The audit log says that new codes exist, never which.
            audit.record(request, audit.Action.TWO_FACTOR_BACKUP_CODES, target=user)
            logger.info("2FA backup codes regenerated for %s", user.username)
            messages.success(
                request, _("Đã tạo 10 mã dự phòng mới; các mã cũ không còn dùng được.")
            )
            return redirect("accounts:two_factor_backup_codes")
        if action == "done":
            request.session.pop(NEW_CODES_SESSION_KEY, None)
            return redirect(
                safe_next(request, request.POST.get("next"), default="accounts:security")
            )
        return redirect("accounts:security")
    codes = request.session.get(NEW_CODES_SESSION_KEY)
    if not codes:
        return redirect("accounts:security")
    context = {"codes": codes, "next": request.GET.get("next", "")}
    return render(request, "accounts/two_factor_backup_codes.html", context)


@never_cache
@login_required
def backup_codes_download(request):
    if (response := _verified_or_redirect(request)) is not None:
        return response
    codes = request.session.get(NEW_CODES_SESSION_KEY)
    if not codes:
        raise Http404
    lines = [
        _("Cổng SXSH — mã dự phòng xác thực hai lớp"),
        _("Tài khoản: %(username)s") % {"username": request.user.get_username()},
        _("Tạo lúc: %(time)s") % {"time": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
        _("Mỗi mã chỉ dùng được một lần. Cất giữ tệp này ở nơi an toàn."),
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sxsh-ma-du-phong.txt"'
    return response


@never_cache
@login_required
def security(request):
    """ "Bảo mật tài khoản": two-factor status and actions."""
    if (response := _verified_or_redirect(request)) is not None:
        return response
    user = request.user
    context = {
        "enabled": has_totp_device(user),
        "required": required_by_role(user),
        "codes_left": backup_codes_left(user),
        "api_tokens": user.api_tokens.all(),
    }
    return render(request, "accounts/security.html", context)


@never_cache
@login_required
def remove(request):
    """Turn two-factor authentication off (or change phone) after re-entering the password."""
    if (response := _verified_or_redirect(request)) is not None:
        return response
    user = request.user
    if not has_totp_device(user):
        return redirect("accounts:security")
    form = PasswordConfirmForm(user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        removed = remove_devices(user)
        forget_verification(request)
        request.session.pop(PENDING_SESSION_KEY, None)
        audit.record(request, audit.Action.TWO_FACTOR_DISABLED, target=user, devices=removed)
        logger.warning("2FA removed by %s (%s)", user.username, _client(request))
        if required_by_role(user):
            messages.warning(
                request,
                _("Đã gỡ thiết bị. Vai trò của bạn bắt buộc xác thực hai lớp: hãy thiết lập lại."),
            )
            return redirect("accounts:two_factor_setup")
        messages.success(request, _("Đã tắt xác thực hai lớp."))
        return redirect("accounts:security")
    context = {"form": form, "required": required_by_role(user)}
    return render(request, "accounts/two_factor_remove.html", context)


@staff_required
def user_reset(request, pk):
    """Staff remove another user's devices (lost phone); they enrol again at their next login."""
    target = get_object_or_404(User.objects.managed_by(request.user), pk=pk)
    if target.pk == request.user.pk:
        return redirect("accounts:security")
    if not request.user.may_manage_account_of(target):
        raise PermissionDenied
    if request.method == "POST":
        removed = remove_devices(target)
        # Whoever took the phone may have minted API tokens too (accounts/tokens.py), and its
        # session would otherwise enrol a device of its own at the setup page (no password
        # asked there): every session of the account ends; the owner signs in again.
        tokens.revoke_all(target, tokens.Reason.TWO_FACTOR_RESET)
        end_sessions_of(target)
        audit.record(request, audit.Action.TWO_FACTOR_RESET, target=target, devices=removed)
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=[target],
            action_flag=CHANGE,
            change_message=_("Đặt lại xác thực hai lớp (xóa %(count)d thiết bị).")
            % {"count": removed},
        )
        logger.warning(
            "2FA of %s reset by %s (%d devices)",
            target.username,
            request.user.username,
            removed,
        )
        messages.success(
            request,
            _("Đã đặt lại xác thực hai lớp của %(username)s.") % {"username": target.username},
        )
        return redirect("accounts:user_list")
    context = {"target": target, "enabled": has_totp_device(target)}
    return render(request, "accounts/user_two_factor_reset.html", context)
