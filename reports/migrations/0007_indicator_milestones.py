import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def seed(apps, schema_editor):
    from reports.plan_seed import seed_milestones

    seed_milestones(
        apps.get_model("reports", "Indicator"), apps.get_model("reports", "IndicatorMilestone")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_planperiod_to_assessments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalIndicatorMilestone",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="năm")),
                (
                    "target_min",
                    models.DecimalField(
                        decimal_places=2, max_digits=12, verbose_name="mốc (tối thiểu)"
                    ),
                ),
                (
                    "target_max",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=12,
                        null=True,
                        verbose_name="mốc (tối đa của khoảng)",
                    ),
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
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="reports.indicator",
                        verbose_name="chỉ tiêu",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical mốc chỉ tiêu theo năm",
                "verbose_name_plural": "historical mốc chỉ tiêu theo năm",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="IndicatorMilestone",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="năm")),
                (
                    "target_min",
                    models.DecimalField(
                        decimal_places=2, max_digits=12, verbose_name="mốc (tối thiểu)"
                    ),
                ),
                (
                    "target_max",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=12,
                        null=True,
                        verbose_name="mốc (tối đa của khoảng)",
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="milestones",
                        to="reports.indicator",
                        verbose_name="chỉ tiêu",
                    ),
                ),
            ],
            options={
                "verbose_name": "mốc chỉ tiêu theo năm",
                "verbose_name_plural": "mốc chỉ tiêu theo năm",
                "ordering": ["indicator", "year"],
                "constraints": [
                    models.UniqueConstraint(fields=("indicator", "year"), name="milestone_year"),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("target_max__isnull", True),
                            ("target_max__gte", models.F("target_min")),
                            _connector="OR",
                        ),
                        name="milestone_range_order",
                    ),
                ],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
