import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from accounts.hashing import BACKUP_CODE_ITERATIONS, backup_code_hash, new_salt


def hash_backup_codes(apps, schema_editor):
    """django-otp's StaticToken kept the backup codes in plain text: move each user's unused codes
    into a BackupCodeDevice (hashed, the same codes keep working) and delete the plain ones."""
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    BackupCodeDevice = apps.get_model("accounts", "BackupCodeDevice")
    BackupCode = apps.get_model("accounts", "BackupCode")
    for old in StaticDevice.objects.prefetch_related("token_set").order_by("pk"):
        codes = {token.token.strip().lower() for token in old.token_set.all() if token.token}
        if codes:
            device = BackupCodeDevice.objects.create(
                user_id=old.user_id,
                name=old.name[:64],
                confirmed=old.confirmed,
                salt=new_salt(),
                iterations=BACKUP_CODE_ITERATIONS,
            )
            BackupCode.objects.bulk_create(
                BackupCode(
                    device=device,
                    code_hash=backup_code_hash(code, device.salt, device.iterations),
                )
                for code in sorted(codes)
            )
    StaticDevice.objects.all().delete()  # the tokens go with their device (CASCADE)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.CharField(max_length=100, verbose_name="tên gợi nhớ")),
                ("prefix", models.CharField(max_length=12, verbose_name="ký tự đầu")),
                ("key_hash", models.CharField(editable=False, max_length=64, unique=True)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="tạo lúc"),
                ),
                ("expires_at", models.DateTimeField(verbose_name="hết hạn lúc")),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="dùng lần cuối"),
                ),
                (
                    "revoked_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="thu hồi lúc"),
                ),
                (
                    "revoked_because",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("owner", "người dùng thu hồi"),
                            ("staff", "cán bộ thu hồi"),
                            ("password", "mật khẩu đã đổi"),
                            ("deactivated", "tài khoản bị khóa"),
                            ("two_factor_reset", "xác thực hai lớp được đặt lại"),
                        ],
                        max_length=20,
                        verbose_name="lý do thu hồi",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người dùng",
                    ),
                ),
            ],
            options={
                "verbose_name": "mã truy cập API",
                "verbose_name_plural": "mã truy cập API",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="BackupCodeDevice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The human-readable name of this device.", max_length=64
                    ),
                ),
                (
                    "confirmed",
                    models.BooleanField(default=True, help_text="Is this device ready for use?"),
                ),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text=(
                            "A timestamp of the last failed verification attempt. Null if last"
                            " attempt succeeded."
                        ),
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(
                        default=0, help_text="Number of successive failed attempts."
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text=(
                            "The date and time when this device was initially created in the"
                            " system."
                        ),
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="The most recent date and time this device was used.",
                        null=True,
                    ),
                ),
                ("salt", models.CharField(editable=False, max_length=64)),
                ("iterations", models.PositiveIntegerField(editable=False)),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "bộ mã dự phòng",
                "verbose_name_plural": "bộ mã dự phòng",
            },
        ),
        migrations.CreateModel(
            name="BackupCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code_hash", models.CharField(max_length=64)),
                (
                    "device",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="codes",
                        to="accounts.backupcodedevice",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("device", "code_hash"), name="backup_code_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(hash_backup_codes, migrations.RunPython.noop),
    ]
