# PlanPeriod (and its history) moved here from reports (issue 12): annual reports are filed for plan
# years, and assessments must not import reports (DESIGN §1 layers). State only: the tables
# reports_planperiod and reports_historicalplanperiod, created by reports 0001 and seeded by
# reports 0002, stay with their rows; the models keep those table names. The content types follow
# the models so that permissions and admin log entries stay attached.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ("planperiod", "historicalplanperiod")


def _relabel(apps, old, new):
    content_types = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_types.objects.filter(app_label=new, model=model).exists():
            content_types.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "reports", "assessments")


def backwards(apps, schema_editor):
    _relabel(apps, "assessments", "reports")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_annualreport_version"),
        ("reports", "0002_seed_plan_2016_2020"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalPlanPeriod",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("code", models.CharField(db_index=True, max_length=20, verbose_name="mã")),
                        ("name", models.CharField(max_length=255, verbose_name="tên kế hoạch")),
                        ("start_year", models.PositiveSmallIntegerField(verbose_name="từ năm")),
                        ("end_year", models.PositiveSmallIntegerField(verbose_name="đến năm")),
                        (
                            "basis",
                            models.CharField(blank=True, max_length=255, verbose_name="căn cứ"),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
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
                        "verbose_name": "historical giai đoạn kế hoạch",
                        "verbose_name_plural": "historical giai đoạn kế hoạch",
                        "db_table": "reports_historicalplanperiod",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="PlanPeriod",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.CharField(max_length=20, unique=True, verbose_name="mã")),
                        ("name", models.CharField(max_length=255, verbose_name="tên kế hoạch")),
                        ("start_year", models.PositiveSmallIntegerField(verbose_name="từ năm")),
                        ("end_year", models.PositiveSmallIntegerField(verbose_name="đến năm")),
                        (
                            "basis",
                            models.CharField(blank=True, max_length=255, verbose_name="căn cứ"),
                        ),
                    ],
                    options={
                        "verbose_name": "giai đoạn kế hoạch",
                        "verbose_name_plural": "giai đoạn kế hoạch",
                        "db_table": "reports_planperiod",
                        "ordering": ["start_year"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("end_year__gte", models.F("start_year"))),
                                name="planperiod_years_order",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
