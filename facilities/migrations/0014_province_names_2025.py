"""The 2025 provinces that `vietnam-provinces`' lookup named "Thành phố …" while they are provinces
("Tỉnh …", facilities.provinces.NAME_CORRECTIONS): units already loaded take the right name (a new
load names them so)."""

from django.db import migrations

# Fixed here (a migration never changes with the code it came with).
CORRECTIONS = {"22": "Tỉnh Quảng Ninh", "24": "Tỉnh Bắc Ninh", "75": "Tỉnh Đồng Nai"}


def rename(apps, schema_editor):
    AdminUnit = apps.get_model("facilities", "AdminUnit")
    for code, name in CORRECTIONS.items():
        AdminUnit.objects.filter(
            scheme="2025", level="province", code=code, name__startswith="Thành phố"
        ).update(name=name)


class Migration(migrations.Migration):
    dependencies = [("facilities", "0013_contact_phone_validator")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
