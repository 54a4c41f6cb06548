"""`Facility.search_text` also holds the industrial area's name and the address, so a facility is
found by "KCN Đình Trám" or "Lô A27": the column is widened (on PostgreSQL widening a varchar
rewrites nothing and the trigram index of 0004 follows it) and every row filled again."""

from django.db import migrations, models

from core.text import fold

BATCH = 1000


def _places(AdminUnit) -> dict[int, str]:
    """The rule of AdminUnit.search_names, on the historical model: commune id -> names."""
    places = {}
    for unit in AdminUnit.objects.filter(level="commune").select_related("parent__parent"):
        names = [unit.name]
        if unit.scheme == "pre2025" and unit.parent_id:
            names.append(unit.parent.name)
            if unit.parent.parent_id:
                names.append(unit.parent.parent.name)
        places[unit.pk] = fold(" ".join(names))
    return places


def _fill(apps, text_of) -> None:
    Facility = apps.get_model("facilities", "Facility")
    places = _places(apps.get_model("facilities", "AdminUnit"))
    areas = dict(apps.get_model("facilities", "IndustrialArea").objects.values_list("pk", "name"))
    fields = ("pk", "name", "tax_code", "address", "commune_id", "ward_id", "industrial_area_id")
    changed = []
    for facility in Facility.objects.only(*fields).iterator(chunk_size=BATCH):
        facility.search_text = text_of(facility, places, areas)
        changed.append(facility)
        if len(changed) >= BATCH:
            Facility.objects.bulk_update(changed, ["search_text"])
            changed = []
    Facility.objects.bulk_update(changed, ["search_text"])


def _with_area_and_address(facility, places, areas) -> str:
    """The rule of facilities.models.facility_search_text (1000 characters)."""
    parts = [
        facility.name,
        facility.tax_code,
        places.get(facility.commune_id),
        places.get(facility.ward_id),
        areas.get(facility.industrial_area_id),
        facility.address,
    ]
    return fold(" ".join(p for p in parts if p))[:1000]


def _names_and_places(facility, places, areas) -> str:
    """The rule before this migration (600 characters), for the narrower column."""
    parts = [
        facility.name,
        facility.tax_code,
        places.get(facility.commune_id),
        places.get(facility.ward_id),
    ]
    return fold(" ".join(p for p in parts if p))[:600]


def rebuild_search_text(apps, schema_editor):
    _fill(apps, _with_area_and_address)


def shorten_search_text(apps, schema_editor):
    _fill(apps, _names_and_places)


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0015_importjob_lease"),
    ]

    operations = [
        migrations.AlterField(
            model_name="facility",
            name="search_text",
            field=models.CharField(db_index=True, default="", editable=False, max_length=1000),
        ),
        migrations.RunPython(rebuild_search_text, shorten_search_text),
    ]
