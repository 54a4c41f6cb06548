# DataVersion moved to core (core.data_version, issue 12). State only: the table
# reports_dataversion and its row stay; core's model keeps that table name (Meta.db_table).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0004_data_version'),
        ('core', '0002_dataversion'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='DataVersion')],
            database_operations=[],
        ),
    ]
