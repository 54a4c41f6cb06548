from django.db import migrations


def seed(apps, schema_editor):
    from assessments.factors import seed_factors

    seed_factors(apps.get_model("assessments", "ConversionFactor"),
                 apps.get_model("assessments", "GridEmissionFactor"))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
