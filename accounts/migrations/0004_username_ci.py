"""Usernames are unique whatever their letter case; logins are case-insensitive
(PortalUserManager.get_by_natural_key). An installation holding two accounts that differ only in
case must rename one before migrating."""

import django.db.models.functions.text
from django.db import migrations, models

import accounts.models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_tokens"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", accounts.models.PortalUserManager()),
            ],
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message="Tên đăng nhập này đã được dùng.",
            ),
        ),
    ]
