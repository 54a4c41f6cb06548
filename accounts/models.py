from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Cán bộ Sở Công Thương")
    FACILITY = "facility", _("Cơ sở SXCN")
    OFFICIAL = "official", _("Lãnh đạo")


class User(AbstractUser):
    role = models.CharField(
        _("vai trò"), max_length=16, choices=Role.choices, default=Role.FACILITY
    )
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    facilities = models.ManyToManyField(
        "facilities.Facility",
        verbose_name=_("cơ sở đại diện"),
        related_name="users",
        blank=True,
        help_text=_("Chỉ dùng cho tài khoản cơ sở: các cơ sở mà người dùng này đại diện."),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_portal_staff(self) -> bool:
        return self.is_active and (self.role == Role.STAFF or self.is_superuser)

    @property
    def is_official(self) -> bool:
        return self.is_active and self.role == Role.OFFICIAL

    @property
    def is_facility_user(self) -> bool:
        return self.is_active and self.role == Role.FACILITY and not self.is_superuser


class Heartbeat(models.Model):
    """Last time a process (worker, beat) proved it was alive; shown on /healthz."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
