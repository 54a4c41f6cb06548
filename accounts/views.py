import logging
from smtplib import SMTPException

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit
from core.text import fold
from core.unique import save_unless_duplicate

from .access import staff_required
from .forms import LockoutPasswordChangeForm, PortalUserCreationForm, UserSearchForm
from .models import Role, User
from .onboarding import send_set_password_link

logger = logging.getLogger(__name__)


class PasswordChangeView(auth_views.PasswordChangeView):
    """The password change, its old password counting toward the login lockout (as the token
    form's re-check: a borrowed session must not be able to guess it without limit)."""

    form_class = LockoutPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


@staff_required
def user_list(request):
    form = UserSearchForm(request.GET)
    q = form.query()
    users = (
        User.objects.managed_by(request.user)
        .order_by("username")
        .prefetch_related(Prefetch("facilities", queryset=_visible_facilities(request.user)))
        .annotate(two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
    )
    if q:
        users = users.filter(pk__in=_matching(User.objects.managed_by(request.user), q))
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    for account in page.object_list:
        account.manageable = request.user.may_manage_account_of(account)
    return render(request, "accounts/user_list.html", {"page": page, "q": q, "form": form})


def _matching(accounts, q: str) -> list[int]:
    """The accounts whose user name, full name or e-mail holds `q`, accents and case aside
    ("nguyen thi ha" finds "Nguyễn Thị Hà", as the facility and activity searches do). A
    province's accounts are a few hundred: their three fields are read and folded here."""
    folded = fold(q)
    rows = accounts.values_list("pk", "username", "full_name", "email")
    return [pk for pk, *fields in rows if any(folded in fold(field) for field in fields)]


def _visible_facilities(user):
    """The facilities `user` may see (Facility.objects.visible_to): a facility account linked to
    facilities of several provinces is listed, to a province's staff of a national installation,
    with that province's only. The model is read through the relation: `facilities` sits above
    `accounts`."""
    facility = User._meta.get_field("facilities").related_model
    return facility.objects.visible_to(user)


@staff_required
def user_create(request):
    form = PortalUserCreationForm(request.POST or None, creator=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        # The same form sent twice at once: the second finds the user name taken. The account
        # and its facilities are saved together (one savepoint).
        taken = _(
            "Tên đăng nhập “%(username)s” đã được dùng (không phân biệt chữ hoa, chữ "
            "thường). Vui lòng chọn tên khác."
        ) % {"username": form.cleaned_data["username"]}
        if save_unless_duplicate(form, "username", taken):
            _send_link_and_say(request, form.instance, created=True)
            return redirect("accounts:user_list")
        status = 409
    context = {"form": form, "roles": Role}
    return render(request, "accounts/user_form.html", context, status=status)


@require_POST
@staff_required
def user_send_link(request, pk):
    """Send a new set-password link to an account that has no password yet (the first mail was
    lost, or its link expired): the forgotten-password page does not serve such accounts."""
    target = get_object_or_404(User.objects.managed_by(request.user), pk=pk)
    if not request.user.may_manage_account_of(target):
        raise PermissionDenied
    names = {"username": target.username}
    if not target.is_active:
        messages.error(request, _("Tài khoản %(username)s đã bị khóa.") % names)
    elif target.has_usable_password():
        messages.error(
            request,
            _(
                "Tài khoản %(username)s đã đặt mật khẩu; nếu quên, người dùng tự lấy lại ở trang "
                "“Quên mật khẩu”."
            )
            % names,
        )
    elif not target.email:
        messages.error(
            request, _("Tài khoản %(username)s chưa có địa chỉ e-mail để gửi liên kết.") % names
        )
    else:
        _send_link_and_say(request, target, created=False)
    return redirect("accounts:user_list")


def _send_link_and_say(request, user, *, created: bool) -> None:
    names = {"username": user.username, "email": user.email}
    try:
        send_set_password_link(request, user)
    except (OSError, SMTPException):
        logger.exception("Set-password mail to %s failed", user.username)
        if created:
            failed = _(
                "Đã tạo tài khoản %(username)s nhưng chưa gửi được thư đặt mật khẩu tới "
                "%(email)s (lỗi máy chủ thư). Hãy báo quản trị hệ thống kiểm tra cấu hình "
                "thư điện tử."
            )
        else:
            failed = _(
                "Chưa gửi được thư đặt mật khẩu tới %(email)s (lỗi máy chủ thư). Hãy báo quản trị "
                "hệ thống kiểm tra cấu hình thư điện tử."
            )
        messages.error(request, failed % names)
        return
    # Where the link went, never the link (it sets the password).
    audit.record(request, audit.Action.SET_PASSWORD_LINK_SENT, target=user, email=user.email)
    if created:
        sent = _(
            "Đã tạo tài khoản %(username)s và gửi liên kết đặt mật khẩu (dùng một lần) "
            "tới %(email)s."
        )
    else:
        sent = _("Đã gửi lại liên kết đặt mật khẩu (dùng một lần) của %(username)s tới %(email)s.")
    messages.success(request, sent % names)
