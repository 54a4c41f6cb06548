
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_indicator_milestones"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalEstablishmentCount",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(db_index=True, verbose_name="năm")),
                ("count", models.PositiveIntegerField(verbose_name="số cơ sở SXCN theo thống kê")),
                (
                    "source",
                    models.CharField(
                        help_text="Ví dụ: Niên giám thống kê tỉnh năm 2020, Cục Thống kê.",
                        max_length=255,
                        verbose_name="nguồn số liệu",
                    ),
                ),
                ("source_date", models.DateField(verbose_name="ngày của số liệu")),
                ("note", models.TextField(blank=True, verbose_name="ghi chú")),
                (
                    "updated_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="cập nhật"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người nhập",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical số cơ sở SXCN theo thống kê",
                "verbose_name_plural": "historical số cơ sở SXCN theo thống kê",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="EstablishmentCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="năm")),
                ("count", models.PositiveIntegerField(verbose_name="số cơ sở SXCN theo thống kê")),
                (
                    "source",
                    models.CharField(
                        help_text="Ví dụ: Niên giám thống kê tỉnh năm 2020, Cục Thống kê.",
                        max_length=255,
                        verbose_name="nguồn số liệu",
                    ),
                ),
                ("source_date", models.DateField(verbose_name="ngày của số liệu")),
                ("note", models.TextField(blank=True, verbose_name="ghi chú")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="cập nhật")),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người nhập",
                    ),
                ),
            ],
            options={
                "verbose_name": "số cơ sở SXCN theo thống kê",
                "verbose_name_plural": "số cơ sở SXCN theo thống kê",
                "ordering": ["-year"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("count__gt", 0)), name="establishments_positive"
                    )
                ],
            },
        ),
    ]
