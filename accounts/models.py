from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from .hashing import backup_code_hash


class Role(models.TextChoices):
    STAFF = "staff", _("Cán bộ Sở Công Thương")
    FACILITY = "facility", _("Cơ sở SXCN")
    OFFICIAL = "official", _("Lãnh đạo")
    # Bộ Công Thương: reads every province of a national installation, edits nothing.
    MINISTRY = "ministry", _("Bộ Công Thương")


# The roles whose account has a province of its own (`User.province`): a national installation
# scopes them to it. A facility account's province is its facilities'; the Ministry has none.
PROVINCE_ROLES = (Role.STAFF, Role.OFFICIAL)


def province_required(role: str, *, superuser: bool = False) -> bool:
    """Whether an account of `role` must name its province: a staff member or official (not a
    superuser, who is never scoped) of a national installation, who would otherwise see nothing."""
    return settings.PORTAL_SCOPE == "national" and role in PROVINCE_ROLES and not superuser


class PortalUserManager(UserManager):
    def managed_by(self, user):
        """The accounts `user` (staff) may list and manage: every account, except in a national
        installation, where a province's staff see their province's staff and officials and the
        representatives of their province's facilities (DESIGN §2). Only a staff member's or
        official's own `province` counts: another role's (one left from an earlier role) does
        not."""
        province = user.scoped_province
        if province is None:
            return self.all()
        code = province or "-"
        return self.filter(
            pk__in=self.filter(
                models.Q(role__in=PROVINCE_ROLES, province=code)
                | models.Q(role=Role.FACILITY, facilities__province=code)
            ).values("pk")
        )

    def mailed_for(self, role: str, province: str):
        """The active users of `role` with an e-mail address who are told about a record of
        `province` (a facility's or a document's): everyone of the role in a province
        installation; in a national installation only `province`'s (nobody for "")."""
        users = self.filter(role=role, is_active=True).exclude(email="")
        if settings.PORTAL_SCOPE == "national":
            users = users.filter(province=province or "-")
        return users

    def get_by_natural_key(self, username):
        """Log in whatever the letter case ("CanBo" is "canbo"); usernames are unique
        case-insensitively (the constraint on User)."""
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    role = models.CharField(
        _("vai trò"), max_length=16, choices=Role.choices, default=Role.FACILITY
    )
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    # The language the user picked in the switcher ("" = Vietnamese, the portal's default).
    language = models.CharField(_("ngôn ngữ"), max_length=8, blank=True)
    # National installation (PORTAL_SCOPE=national): the 2025 province code ("24") whose data a
    # staff member or official works on; ignored in a one-province installation.
    province = models.CharField(
        _("tỉnh/thành phố"),
        max_length=2,
        blank=True,
        help_text=_("Mã tỉnh/thành phố (từ 1/7/2025) mà cán bộ, lãnh đạo làm việc."),
    )
    facilities = models.ManyToManyField(
        "facilities.Facility",
        verbose_name=_("cơ sở đại diện"),
        related_name="users",
        blank=True,
        help_text=_("Chỉ dùng cho tài khoản cơ sở: các cơ sở mà người dùng này đại diện."),
    )

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=_("Tên đăng nhập này đã được dùng."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        # Only staff and officials have a province of their own (PROVINCE_ROLES): an account
        # given another role loses it, so that it no longer scopes who manages the account.
        if self.role not in PROVINCE_ROLES:
            self.province = ""

    @property
    def is_portal_staff(self) -> bool:
        return self.is_active and (self.role == Role.STAFF or self.is_superuser)

    @property
    def is_official(self) -> bool:
        return self.is_active and self.role == Role.OFFICIAL

    def has_role(self, *roles) -> bool:
        """Active and holding one of `roles`; a superuser counts as staff."""
        return self.is_active and (
            self.role in roles or (self.is_superuser and Role.STAFF in roles)
        )

    @property
    def is_staff_or_official(self) -> bool:
        """The one staff-or-official check (DESIGN §2): they read every facility of their scope,
        the dashboards and the generated reports; the Ministry reads as officials do, across every
        province. Used by `staff_or_official_required`, the API permission and
        `Facility.objects.visible_to`."""
        return self.has_role(Role.STAFF, Role.OFFICIAL, Role.MINISTRY)

    @property
    def is_ministry(self) -> bool:
        return self.is_active and self.role == Role.MINISTRY and not self.is_superuser

    @property
    def scoped_province(self) -> str | None:
        """The one province a staff member's or official's data is limited to in a national
        installation (DESIGN §2); "" (nothing at all) when such an account has no province; None
        (no limit) in a one-province installation and for the Ministry and superusers."""
        if settings.PORTAL_SCOPE != "national" or self.is_superuser:
            return None
        if self.role in PROVINCE_ROLES:
            return self.province
        return None

    @property
    def data_province(self) -> str:
        """The one province whose data this account works on, as the audit log records it (a
        national installation): a staff member's or official's `province`; a facility account's
        facilities' province when they all lie in one; else "" (none or several, the Ministry,
        a superuser, a one-province installation)."""
        if settings.PORTAL_SCOPE != "national" or self.is_superuser:
            return ""
        if self.role in PROVINCE_ROLES:
            return self.province
        if self.role == Role.FACILITY and self.pk:
            provinces = set(self.facilities.values_list("province", flat=True).distinct()[:2])
            return provinces.pop() if len(provinces) == 1 else ""
        return ""

    def may_manage_account_of(self, other) -> bool:
        """Portal staff manage facility and official accounts — reset their second factor (lost
        phone), send them a new set-password link —; only a superuser manages a staff member's or
        a superuser's. Nobody manages their own here (they use "Bảo mật tài khoản")."""
        if not self.is_portal_staff or other.pk == self.pk:
            return False
        if other.is_superuser or other.role == Role.STAFF:
            return self.is_superuser
        return True

    @property
    def is_facility_user(self) -> bool:
        return self.is_active and self.role == Role.FACILITY and not self.is_superuser


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Neither revoked nor expired (the owner's being active is checked at authentication)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A credential for the JSON API (`Authorization: Token <key>`). Only the SHA-256 of the key is
    stored; the key is shown once, when the token is created (accounts/tokens.py)."""

    class RevokedBecause(models.TextChoices):
        OWNER = "owner", _("người dùng thu hồi")
        STAFF = "staff", _("cán bộ thu hồi")
        PASSWORD = "password", _("mật khẩu đã đổi")
        DEACTIVATED = "deactivated", _("tài khoản bị khóa")
        TWO_FACTOR_RESET = "two_factor_reset", _("xác thực hai lớp được đặt lại")

    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("người dùng"),
    )
    label = models.CharField(_("tên gợi nhớ"), max_length=100)
    prefix = models.CharField(_("ký tự đầu"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_because = models.CharField(
        _("lý do thu hồi"), max_length=20, choices=RevokedBecause.choices, blank=True
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self):
        return f"{self.prefix}… ({self.label})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired


class BackupCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """The user's one-time backup codes, stored hashed (accounts/hashing.py) instead of
    django-otp's plaintext StaticToken. A code is deleted when it is used; wrong codes are
    throttled like the other devices."""

    salt = models.CharField(max_length=64, editable=False)
    iterations = models.PositiveIntegerField(editable=False)

    class Meta:
        verbose_name = _("bộ mã dự phòng")
        verbose_name_plural = _("bộ mã dự phòng")

    def get_throttle_factor(self):
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token):
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        digest = backup_code_hash(token, self.salt, self.iterations)
        # Deleting is the check: of two concurrent uses of a code only one deletes the row.
        used = self.codes.filter(code_hash=digest).delete()[0] > 0
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return used


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="backup_code_unique")
        ]

    def __str__(self):
        return f"{self.device_id}: {self.code_hash[:8]}…"
