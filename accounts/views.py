import logging
from smtplib import SMTPException

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import AnnualReport
from facilities.models import Facility

from .access import staff_required
from .forms import PortalUserCreationForm
from .models import Role, User
from .onboarding import send_set_password_link

logger = logging.getLogger(__name__)


@login_required
def home(request):
    user = request.user
    if user.is_portal_staff:
        context = {
            "facility_count": Facility.objects.count(),
            "active_count": Facility.objects.filter(status=Facility.Status.ACTIVE).count(),
            "user_count": User.objects.filter(is_active=True).count(),
            "reports_waiting": AnnualReport.objects.awaiting_review().count(),
        }
        return render(request, "accounts/home_staff.html", context)
    if user.is_official:
        return render(
            request,
            "accounts/home_official.html",
            {
                "facility_count": Facility.objects.count(),
            },
        )
    facilities = Facility.objects.visible_to(user).select_related("commune__parent", "industry")
    return render(request, "accounts/home_facility.html", {"facilities": facilities})


@staff_required
def user_list(request):
    q = request.GET.get("q", "").strip()
    users = (
        User.objects.order_by("username")
        .prefetch_related("facilities")
        .annotate(two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
    )
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q)
        )
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


@staff_required
def user_create(request):
    form = PortalUserCreationForm(request.POST or None, creator=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
        names = {"username": user.username, "email": user.email}
        try:
            send_set_password_link(request, user)
        except (OSError, SMTPException):
            logger.exception("Set-password mail to %s failed", user.username)
            messages.error(
                request,
                _(
                    "Đã tạo tài khoản %(username)s nhưng chưa gửi được thư đặt mật khẩu tới "
                    "%(email)s (lỗi máy chủ thư). Hãy báo quản trị hệ thống kiểm tra cấu hình "
                    "thư điện tử."
                )
                % names,
            )
        else:
            messages.success(
                request,
                _(
                    "Đã tạo tài khoản %(username)s và gửi liên kết đặt mật khẩu (dùng một lần) "
                    "tới %(email)s."
                )
                % names,
            )
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "roles": Role})
