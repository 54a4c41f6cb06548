# Heartbeat moved here from accounts (issue 12). State only: the table accounts_heartbeat, created
# by accounts 0001_initial, stays with its rows. The content type follows the model so that
# permissions and admin log entries stay attached.

from django.db import migrations, models


def _relabel(apps, old, new):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label=new, model="heartbeat").exists():
        content_types.objects.filter(app_label=old, model="heartbeat").update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "accounts", "ops")


def backwards(apps, schema_editor):
    _relabel(apps, "ops", "accounts")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0005_move_heartbeat_to_ops"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Heartbeat",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=50, unique=True)),
                        ("seen_at", models.DateTimeField()),
                    ],
                    options={"db_table": "accounts_heartbeat"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
