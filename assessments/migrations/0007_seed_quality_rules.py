"""The data-quality rules as shipped (assessments/quality_rules.py); staff edit them afterwards."""

from django.db import migrations


def seed(apps, schema_editor):
    from assessments.quality_rules import seed_quality_rules

    seed_quality_rules(
        apps.get_model("assessments", "QualityRule"),
        apps.get_model("assessments", "HistoricalQualityRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_quality_rules_and_findings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
