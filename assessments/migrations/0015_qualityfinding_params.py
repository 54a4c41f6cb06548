from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0014_reportingdeadline_province"),
    ]

    operations = [
        migrations.AddField(
            model_name="qualityfinding",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="tham số nội dung"),
        ),
    ]
