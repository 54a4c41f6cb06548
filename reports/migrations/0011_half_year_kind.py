from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0010_report_narrative"),
    ]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="kind",
            field=models.CharField(
                choices=[
                    ("annual_progress", "Báo cáo kết quả thực hiện kế hoạch SXSH năm"),
                    (
                        "half_year_progress",
                        "Báo cáo kết quả thực hiện kế hoạch SXSH 6 tháng đầu năm",
                    ),
                ],
                default="annual_progress",
                max_length=30,
                verbose_name="loại báo cáo",
            ),
        ),
    ]
