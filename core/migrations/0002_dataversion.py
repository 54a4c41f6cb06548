# DataVersion moved here from reports (issue 12). State only: the table reports_dataversion was
# created by reports.0004_data_version and keeps its name and data; reports.0005 drops the
# model from the reports state.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('reports', '0004_data_version'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DataVersion',
                    fields=[
                        ('key', models.CharField(max_length=30, primary_key=True, serialize=False)),
                        ('token', models.CharField(max_length=32)),
                        ('changed_at', models.DateTimeField()),
                    ],
                    options={
                        'verbose_name': 'phiên bản dữ liệu',
                        'verbose_name_plural': 'phiên bản dữ liệu',
                        'db_table': 'reports_dataversion',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
