"""Import warnings kept on background import jobs; `Facility.search_text` also holds the place
names (old commune, district and province; 2025 ward), so it is widened and filled again. On
PostgreSQL the trigram index of 0004 follows the column (widening a varchar rewrites nothing)."""

from django.db import migrations, models

from core.text import fold


def fill_search_text(apps, schema_editor):
    """The rule of facilities.models.facility_search_text, on the historical models."""
    Facility = apps.get_model("facilities", "Facility")
    AdminUnit = apps.get_model("facilities", "AdminUnit")
    places = {}
    for unit in AdminUnit.objects.filter(level="commune").select_related("parent__parent"):
        names = [unit.name]
        if unit.scheme == "pre2025" and unit.parent_id:
            names.append(unit.parent.name)
            if unit.parent.parent_id:
                names.append(unit.parent.parent.name)
        places[unit.pk] = fold(" ".join(names))
    changed = []
    for facility in Facility.objects.only("pk", "name", "tax_code", "commune_id", "ward_id"):
        parts = [facility.name, facility.tax_code]
        parts += [places.get(facility.commune_id, ""), places.get(facility.ward_id, "")]
        facility.search_text = fold(" ".join(p for p in parts if p))[:600]
        changed.append(facility)
        if len(changed) >= 1000:
            Facility.objects.bulk_update(changed, ["search_text"])
            changed = []
    Facility.objects.bulk_update(changed, ["search_text"])


def shorten_search_text(apps, schema_editor):
    """Back to the name and tax code within 300 characters, for the narrower column."""
    Facility = apps.get_model("facilities", "Facility")
    changed = []
    for facility in Facility.objects.only("pk", "name", "tax_code"):
        facility.search_text = fold(f"{facility.name} {facility.tax_code}")[:300]
        changed.append(facility)
    Facility.objects.bulk_update(changed, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0008_two_schemes"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="warning_count",
            field=models.PositiveIntegerField(default=0, verbose_name="số cảnh báo"),
        ),
        migrations.AddField(
            model_name="importjob",
            name="warnings",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="[{row, column, message}], tối đa 500; các dòng đó vẫn được nhập.",
                verbose_name="cảnh báo",
            ),
        ),
        migrations.AlterField(
            model_name="facility",
            name="search_text",
            field=models.CharField(db_index=True, default="", editable=False, max_length=600),
        ),
        migrations.RunPython(fill_search_text, shorten_search_text),
    ]
