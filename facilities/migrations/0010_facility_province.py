from django.db import migrations, models

from facilities.provinces import UnknownProvince, successor_of_legacy


def fill_provinces(apps, schema_editor):
    """Facility.province for existing rows, by the rule of AdminUnit.province_2025_code."""
    AdminUnit = apps.get_model("facilities", "AdminUnit")
    Facility = apps.get_model("facilities", "Facility")
    cache = {}

    def province_of(unit_id):
        if not unit_id:
            return ""
        if unit_id not in cache:
            unit = AdminUnit.objects.select_related("parent__parent").get(pk=unit_id)
            if unit.scheme == "2025":
                code = unit.code if unit.level == "province" else getattr(unit.parent, "code", "")
            else:
                codes = [
                    s.parent.code for s in unit.successors.select_related("parent") if s.parent_id
                ]
                if codes:
                    code = max(sorted(set(codes)), key=codes.count)
                else:
                    old = unit
                    while old.parent_id:
                        old = old.parent
                    try:
                        code = f"{successor_of_legacy(int(old.code)):02d}"
                    except (UnknownProvince, ValueError):
                        code = ""
            cache[unit_id] = code
        return cache[unit_id]

    by_province = {}
    for facility in Facility.objects.only("pk", "ward_id", "commune_id").iterator(chunk_size=2000):
        code = province_of(facility.ward_id) or province_of(facility.commune_id)
        if code:
            by_province.setdefault(code, []).append(facility.pk)
    for code, pks in by_province.items():
        for start in range(0, len(pks), 5000):
            Facility.objects.filter(pk__in=pks[start : start + 5000]).update(province=code)


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0009_import_warnings_and_place_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="facility",
            name="province",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                max_length=2,
                verbose_name="tỉnh/thành phố",
            ),
        ),
        migrations.RunPython(fill_provinces, migrations.RunPython.noop),
    ]
