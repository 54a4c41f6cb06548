"""Two old districts of one name ("Huyện Châu Thành" of old Bến Tre and of old Trà Vinh, both now
part of Vĩnh Long 86) never read alike, beyond the tables (test_ambiguous_district_labels): the
workbook's facility sheet names each with its old province and keeps its facilities together, as
does the annex; the district selects of the report, assessment and activity lists and of the
industrial-area pages name them apart."""

from io import BytesIO
from itertools import groupby

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from facilities.models import AdminUnit, IndustrialArea
from reports.files import content, xlsx
from reports.files.sheets import facility_rows

from .namesake_districts import BEN_TRE, LABELS, LONG_HO, TRA_VINH, YEAR, build_places

pytestmark = pytest.mark.django_db

# A second facility in each Châu Thành, named so that by name alone the two districts'
# facilities alternate: Bánh phồng (Bến Tre), Dừa (Trà Vinh), Thủy sản (Trà Vinh), Vải (Bến Tre).
EXTRA = (("831", "Công ty Vải Tân Thạch"), ("847", "Công ty Dừa Châu Thành"))


@pytest.fixture
def places(settings):
    """{district code: its facilities' names}."""
    names = {code: [name] for code, name in build_places(settings, EXTRA).items()}
    for code, name in EXTRA:
        names[code].append(name)
    return names


def _district(code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=AdminUnit.Scheme.PRE2025, code=code)


def _expected(places) -> list[tuple[str, str]]:
    """(facility, district label) in the order a list by old district, then name, gives."""
    return [
        (name, LABELS[code])
        for code in ("831", "847", "857")  # the labels' Vietnamese order
        for name in sorted(places[code])  # ASCII-sortable names
    ]


def _runs(labels) -> list[str]:
    """`labels` with consecutive repeats collapsed: each label once when grouped together."""
    return [label for label, _ in groupby(labels)]


def test_the_facility_sheet_names_the_namesakes_apart_and_together(places, tmp_path):
    path = tmp_path / "report.xlsx"
    xlsx.write_xlsx(content.gather(YEAR, lambda percent: None), path, lambda percent: None)
    sheet = load_workbook(BytesIO(path.read_bytes()))["CoSo"]
    header, *rows = sheet.iter_rows(values_only=True)
    assert header[4] == "Huyện"
    listed = [(row[1], row[4]) for row in rows]
    assert listed == _expected(places)
    assert _runs(label for _, label in listed) == [BEN_TRE, TRA_VINH, LONG_HO]


def test_the_facility_sheet_reads_its_labels_once(places, django_assert_max_num_queries):
    # The facts' freshness (two), the namesakes' names, their labels, the rows: none per row.
    with django_assert_max_num_queries(5):
        rows = list(facility_rows(YEAR))
    assert len(rows) == sum(len(names) for names in places.values())


def test_the_annex_keeps_each_namesakes_facilities_together(places):
    annex = content.gather(YEAR, lambda percent: None).annex
    listed = [(row.name, row.place.split(", ", 1)[1]) for row in annex]
    assert listed == _expected(places)


@pytest.mark.parametrize(
    "url", ["assessments:report_list", "assessments:assessment_list", "assessments:activity_list"]
)
def test_the_list_filters_offer_the_namesakes_apart(places, client, staff, url):
    client.force_login(staff)
    response = client.get(reverse(url))
    field = response.context["form"].fields["district"]
    labels = [str(label) for value, label in field.choices if value]
    assert sorted(labels) == sorted(LABELS.values())
    assert f">{TRA_VINH}</option>" in response.text


def test_the_report_list_filter_picks_one_namesake(places, client, staff):
    client.force_login(staff)
    listed = client.get(reverse("assessments:report_list"), {"district": _district("847").pk})
    assert all(name in listed.text for name in places["847"])
    assert not any(name in listed.text for name in places["831"])


def test_the_area_pages_offer_the_namesakes_apart(places, client, staff):
    client.force_login(staff)
    for url in ("facilities:area_create", "facilities:area_list"):
        response = client.get(reverse(url))
        field = response.context["form"].fields["district"]
        labels = [str(label) for value, label in field.choices if value]
        assert sorted(labels) == sorted(LABELS.values()), url
        assert f">{BEN_TRE}</option>" in response.text
    # The one picked is the one saved.
    district = _district("847")
    data = {"kind": "ccn", "name": "Cụm công nghiệp Châu Thành", "district": district.pk}
    assert client.post(reverse("facilities:area_create"), data).status_code == 302
    assert IndustrialArea.objects.get().district == district
