from django.db import migrations


def seed(apps, schema_editor):
    from reports.plan_seed import seed_plan

    seed_plan(apps.get_model("reports", "PlanPeriod"), apps.get_model("reports", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
