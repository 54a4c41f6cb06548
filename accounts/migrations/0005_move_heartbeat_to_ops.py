# Heartbeat moved to ops (ops.models, issue 12). State only: the table accounts_heartbeat and its
# rows stay; ops's model keeps that table name (Meta.db_table).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_username_ci"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Heartbeat")],
            database_operations=[],
        ),
    ]
