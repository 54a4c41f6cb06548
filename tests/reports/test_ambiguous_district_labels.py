"""Two old districts of one name ("Huyện Châu Thành" of old Bến Tre and of old Trà Vinh, both now
part of Vĩnh Long 86) never read alike: the tables by old district (documents, dashboard), the
annex and the facility list's "Huyện cũ" filter name each with its old province; a district whose
name is its own stays bare (territory.unit_label)."""

import pytest
from django.urls import reverse

from facilities.models import AdminUnit
from reports.files import content
from reports.files.annex import annex_rows
from reports.groupings import Grouping, group_labels

from .namesake_districts import BEN_TRE, LONG_HO, TRA_VINH, YEAR, build_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(settings):
    return build_places(settings)


def _gather():
    return content.gather(YEAR, lambda percent: None)


def test_the_table_by_old_district_names_namesakes_with_their_old_provinces(places):
    tables = content.place_breakdowns(content.compute_indicators(YEAR))
    table = next(table for table in tables if table.rows and table.caption.startswith("Theo huy"))
    # Vietnamese order, each label once; the unique name stays bare.
    assert [row.label for row in table.rows] == [BEN_TRE, TRA_VINH, LONG_HO]


def test_group_labels_qualify_only_the_namesakes(places):
    codes = {"831", "847", "857"}
    labels = group_labels({YEAR: {Grouping.OLD_DISTRICT: dict.fromkeys(codes)}})
    found = {code: str(labels[Grouping.OLD_DISTRICT][code]) for code in codes}
    assert found == {"831": BEN_TRE, "847": TRA_VINH, "857": LONG_HO}


def test_the_annex_names_the_old_province_of_a_namesake(places, django_assert_max_num_queries):
    rows = {row.name: row.place for row in _gather().annex}
    assert rows[places["831"]] == f"Xã Tân Thạch, {BEN_TRE}"
    assert rows[places["847"]] == f"Thị trấn Châu Thành, {TRA_VINH}"
    assert rows[places["857"]] == f"Thị trấn Long Hồ, {LONG_HO}"
    # The facts' freshness (two), the annex's facts, the districts' labels: none per row.
    with django_assert_max_num_queries(4):
        annex_rows(YEAR)


def test_the_dashboard_names_the_namesakes_apart(places, client, official):
    client.force_login(official)
    page = client.get(reverse("reports:dashboard"), {"year": YEAR}).text
    assert BEN_TRE in page
    assert TRA_VINH in page


def test_the_facility_list_filter_offers_the_namesakes_apart(places, client, staff):
    client.force_login(staff)
    response = client.get(reverse("facilities:list"))
    field = response.context["form"].fields["district"]
    labels = [str(label) for value, label in field.choices if value]
    assert sorted(labels) == sorted([BEN_TRE, TRA_VINH, LONG_HO])
    assert f">{BEN_TRE}</option>" in response.text
    # Picking one of them lists its facility only.
    district = AdminUnit.objects.get(scheme=AdminUnit.Scheme.PRE2025, code="847")
    listed = client.get(reverse("facilities:list"), {"district": district.pk}).text
    assert places["847"] in listed
    assert places["831"] not in listed
