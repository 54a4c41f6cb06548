from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEvent(models.Model):
    """One security-relevant action (who, when, what, from where); append-only (core.audit)."""

    class Action(models.TextChoices):
        REGISTRY_EXPORT = "registry_export", _("Xuất sổ đăng ký cơ sở")
        REPORT_DOWNLOAD = "report_download", _("Tải tệp báo cáo")
        ACCOUNT_CREATED = "account_created", _("Tạo tài khoản")
        ROLE_CHANGED = "role_changed", _("Đổi vai trò")
        TWO_FACTOR_RESET = "two_factor_reset", _("Đặt lại xác thực hai lớp")
        FACILITY_LINKS_CHANGED = "facility_links_changed", _("Đổi cơ sở đại diện của tài khoản")
        EMAIL_CHANGED = "email_changed", _("Đổi e-mail tài khoản")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("Khóa tài khoản")
        ACCOUNT_REACTIVATED = "account_reactivated", _("Mở lại tài khoản")
        API_TOKEN_ISSUED = "api_token_issued", _("Cấp mã truy cập API")
        API_TOKEN_REVOKED = "api_token_revoked", _("Thu hồi mã truy cập API")
        BENCHMARK_EXPORT = "benchmark_export", _("Xuất bảng điểm hiệu quả năng lượng")
        REGISTER_EXPORT = "register_export", _("Xuất sổ đăng ký văn bản đi")
        REPORT_REMINDER = "report_reminder", _("Gửi thư nhắc nộp báo cáo năm")
        FINDINGS_EXPORT = "findings_export", _("Xuất danh sách phát hiện kiểm tra số liệu")
        ACCOUNT_DELETED = "account_deleted", _("Xóa tài khoản")
        TWO_FACTOR_DISABLED = "two_factor_disabled", _("Tự tắt xác thực hai lớp")
        TWO_FACTOR_BACKUP_CODES = "two_factor_backup_codes", _("Tạo lại mã dự phòng")
        ACCOUNT_LOCKED_OUT = (
            "account_locked_out",
            _("Khóa đăng nhập tạm thời do nhập sai nhiều lần"),
        )
        SET_PASSWORD_LINK_SENT = "set_password_link_sent", _("Gửi liên kết đặt mật khẩu")
        PASSWORD_CHANGED = "password_changed", pgettext_lazy("audit action", "Đổi mật khẩu")

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept when the account is deleted (the foreign key then becomes NULL).
    actor_username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=40, choices=Action.choices)
    target = models.CharField(_("đối tượng"), max_length=200, blank=True)
    client_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # National installation: the 2025 province whose data the actor worked on when the entry was
    # written (the account's `data_province` then), "" for none or several; its staff read it.
    province = models.CharField(_("tỉnh/thành phố"), max_length=2, blank=True, db_index=True)

    class Meta:
        verbose_name = _("nhật ký kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["action", "at"], name="core_audit_action_at")]

    def __str__(self):
        who = self.actor_username or _("hệ thống")
        return f"{self.at:%Y-%m-%d %H:%M:%S} {who} {self.get_action_display()} {self.target}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("AuditEvent is append-only: an entry is never changed.")
        super().save(*args, **kwargs)


class DataVersion(models.Model):
    """A random token replaced whenever data behind the indicators or the facility list changes.

    Cached values are keyed by it (`core.data_version`); a database row rather than a cache
    entry so that every web and worker process sees the same token. The table keeps the name it
    had when the model lived in `reports` (moved by a state-only migration; backups and
    restores see the same table).
    """

    key = models.CharField(max_length=30, primary_key=True)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        db_table = "reports_dataversion"
        verbose_name = _("phiên bản dữ liệu")
        verbose_name_plural = _("phiên bản dữ liệu")

    def __str__(self):
        return f"{self.key}: {self.token}"
