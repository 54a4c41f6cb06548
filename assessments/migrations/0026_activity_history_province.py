# The activity's history keeps its holding province (Activity.province), so that the "recently
# deleted" list of a national installation finds a deleted activity without a place for the
# province that held it. Records written before have "": the list reads their place instead.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0025_quality_band_privacy_floor"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalactivity",
            name="province",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                max_length=2,
                verbose_name="tỉnh/thành phố",
            ),
        ),
    ]
