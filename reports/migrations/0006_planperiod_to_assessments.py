# PlanPeriod (and its history) moved to assessments (assessments 0005, issue 12). State only: the
# tables and the foreign key constraint of reports_indicator.period_id stay as they are.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_planperiod_from_reports"),
        ("reports", "0005_move_dataversion_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="historicalindicator",
                    name="period",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.planperiod",
                        verbose_name="giai đoạn",
                    ),
                ),
                migrations.AlterField(
                    model_name="indicator",
                    name="period",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicators",
                        to="assessments.planperiod",
                        verbose_name="giai đoạn",
                    ),
                ),
                migrations.DeleteModel(name="HistoricalPlanPeriod"),
                migrations.DeleteModel(name="PlanPeriod"),
            ],
        ),
    ]
